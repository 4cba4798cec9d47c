package org.callibry.server.crm.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.callibry.server.crm.CallerCards;
import org.callibry.server.crm.UrlGuard;
import org.callibry.server.directory.ContactBook;
import org.callibry.shared.api.dto.Calls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tenants' CRM caller lookups: {@code GET} the tenant's URL for a number, read the card from the JSON
 * answer by the field mapping, keep the answer (a card, or "unknown" for a 404 or an answer without a
 * name) for the tenant's cache TTL, and fall back to the tenant's contacts when the CRM does not know the
 * number, fails or takes longer than its timeout. Errors are not cached. Configurations are held in
 * memory and read again after each change; the cache holds at most {@value #MAX_CACHED} answers.
 */
@Component
class CrmLookups implements CallerCards {
    private static final Logger log = LoggerFactory.getLogger(CrmLookups.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final int MAX_CACHED = 10_000;
    static final int MAX_ANSWER_BYTES = 256 * 1024;

    /** A lookup's outcome: a card, or none with the status and the reason (an error is not cached). */
    record Result(Calls.CallerCard card, Integer status, String error, long tookMs) {
        boolean cacheable() {
            return error == null || status != null && (status == 404 || status == 200);
        }
    }

    private record Key(long tenantId, String number) {
    }

    private record Cached(Calls.CallerCard card, Instant until) {
    }

    private final LookupStore store;
    private final ContactBook contacts;
    private final UrlGuard guard;
    private final HttpClient http;
    private final Clock clock = Clock.systemUTC();
    private final Map<Key, Cached> cache = new ConcurrentHashMap<>();
    private final java.util.concurrent.ExecutorService workers = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
    private volatile Map<Long, LookupConfig> configs = Map.of();

    CrmLookups(LookupStore store, ContactBook contacts, @Value("${callibry.crm.lookup.allow:}") List<String> allow) {
        this.store = store;
        this.contacts = contacts;
        this.guard = new UrlGuard(allow, "callibry.crm.lookup.allow");
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .executor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()).build();
        reload();
    }

    UrlGuard guard() {
        return guard;
    }

    Optional<LookupConfig> config(long tenantId) {
        return Optional.ofNullable(configs.get(tenantId));
    }

    /** Reads the configurations again and forgets the cached answers of {@code changedTenant} (null: of all). */
    void reload(Long changedTenant) {
        configs = store.all().stream().collect(Collectors.toUnmodifiableMap(LookupConfig::tenantId, Function.identity()));
        cache.keySet().removeIf(k -> changedTenant == null || k.tenantId() == changedTenant);
    }

    private void reload() {
        reload(null);
    }

    @Override
    public Calls.CallerCard card(long tenantId, String number) {
        Calls.CallerCard crm = crmCard(tenantId, number);
        return crm != null ? crm : contacts.byNumber(tenantId, number).map(Calls.CallerCard::of).orElse(null);
    }

    /** What the tenant's CRM says of {@code number} (from the cache while fresh), or null. */
    Calls.CallerCard crmCard(long tenantId, String number) {
        LookupConfig c = configs.get(tenantId);
        if (c == null || !c.enabled()) {
            return null;
        }
        Key key = new Key(tenantId, number);
        Instant now = clock.instant();
        Cached hit = cache.get(key);
        if (hit != null && hit.until().isAfter(now)) {
            return hit.card();
        }
        Result r = lookup(c, number);
        if (r.error() != null) {
            log.debug("CRM lookup of {} for tenant {}: {}", number, tenantId, r.error());
        }
        if (r.cacheable() && c.cacheTtlSeconds() > 0) {
            if (cache.size() >= MAX_CACHED) {
                cache.values().removeIf(e -> !e.until().isAfter(now));
                if (cache.size() >= MAX_CACHED) {
                    cache.clear();
                }
            }
            cache.put(key, new Cached(r.card(), now.plusSeconds(c.cacheTtlSeconds())));
        }
        return r.card();
    }

    /** One lookup now, past the cache; the whole of it (answer read included) within the timeout. */
    Result lookup(LookupConfig c, String number) {
        long t0 = System.nanoTime();
        java.util.concurrent.Future<Result> f = workers.submit(() -> fetch(c, number, t0));
        try {
            return f.get(c.timeoutMs(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            f.cancel(true);
            return new Result(null, null, "no answer within " + c.timeoutMs() + " ms", took(t0));
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            return new Result(null, null, "interrupted", took(t0));
        } catch (java.util.concurrent.ExecutionException e) {
            return new Result(null, null, e.getCause().toString(), took(t0));
        }
    }

    private Result fetch(LookupConfig c, String number, long t0) {
        Integer status = null;
        try {
            URI url = c.url(number);
            Optional<String> refused = guard.refuse(url);
            if (refused.isPresent()) {
                return new Result(null, null, "not sent: " + refused.get(), took(t0));
            }
            HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(Duration.ofMillis(c.timeoutMs()))
                    .header("Accept", "application/json").header("User-Agent", "Callibry-Lookup/1").GET();
            if (c.authHeaderName() != null) {
                b.header(c.authHeaderName(), c.authHeaderValue());
            }
            HttpResponse<InputStream> response = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            status = response.statusCode();
            try (InputStream in = response.body()) {
                if (status == 404) {
                    return new Result(null, status, "the CRM does not know the number", took(t0));
                }
                if (status != 200) {
                    return new Result(null, status, "HTTP " + status, took(t0));
                }
                byte[] body = in.readNBytes(MAX_ANSWER_BYTES + 1);
                if (body.length > MAX_ANSWER_BYTES) {
                    return new Result(null, null, "the answer is larger than " + MAX_ANSWER_BYTES / 1024 + " KB", took(t0));
                }
                JsonNode root = JSON.readTree(body);
                String name = FieldPath.text(root, c.nameField());
                if (name == null) {
                    return new Result(null, status, "no name at " + c.nameField() + " in the answer", took(t0));
                }
                return new Result(new Calls.CallerCard(name, FieldPath.text(root, c.companyField()),
                        FieldPath.text(root, c.notesField()), Calls.CallerCard.CRM), status, null, took(t0));
            }
        } catch (HttpTimeoutException e) {
            return new Result(null, null, "no answer within " + c.timeoutMs() + " ms", took(t0));
        } catch (JacksonException e) {
            return new Result(null, null, "the answer is not JSON: " + e.getOriginalMessage(), took(t0));
        } catch (InterruptedException e) {
            return new Result(null, null, "interrupted", took(t0));
        } catch (IOException | IllegalArgumentException e) {
            return new Result(null, status == null || status == 200 ? null : status,
                    e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), took(t0));
        }
    }

    private static long took(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}

package org.callibry.server.crm.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.callibry.server.crm.UrlGuard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The webhook delivery worker: claims due deliveries from the database ({@link WebhookStore#claim}), POSTs
 * each signed body ({@link WebhookSignature}) with its own virtual thread, and records the outcome: a
 * 2xx is delivered; anything else (another status, no connection, a timeout, a URL now refused) is tried
 * again after the {@link Backoff}'s wait, until the attempts run out and it is marked failed. Wakes when
 * new deliveries are stored, else every {@code poll-interval}. Redirects are not followed. Pending
 * deliveries live in PostgreSQL, so a restart resumes them (one claimed when the server stopped is due
 * again once its lease, the timeout plus 30 s, has passed).
 */
@Component
class WebhookDeliverer implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(WebhookDeliverer.class);
    private static final Duration LEASE_MARGIN = Duration.ofSeconds(30);
    private static final int MAX_ERROR_CHARS = 500;
    private static final int PURGE_BATCH = 10_000;

    private final WebhookStore store;
    private final WebhookProperties properties;
    private final Backoff backoff;
    private final UrlGuard guard;
    private final HttpClient http;
    private final Clock clock = Clock.systemUTC();
    private final Semaphore wake = new Semaphore(0);
    private volatile Thread thread;
    private volatile boolean stopping;
    private long nextPurge = System.nanoTime();

    WebhookDeliverer(WebhookStore store, WebhookProperties properties) {
        this.store = store;
        this.properties = properties;
        this.backoff = properties.backoff();
        this.guard = new UrlGuard(properties.allow(), "callibry.crm.webhook.allow");
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(properties.timeout())
                .executor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()).build();
    }

    /** New deliveries were stored: look now rather than at the next poll. */
    void wake() {
        if (wake.availablePermits() == 0) {
            wake.release();
        }
    }

    private void run() {
        while (!stopping) {
            purge();
            List<WebhookStore.Claimed> batch;
            try {
                Instant now = clock.instant();
                batch = store.claim(now, now.plus(properties.timeout()).plus(LEASE_MARGIN), properties.concurrency());
            } catch (RuntimeException e) {
                log.warn("Webhook deliveries not claimed (database unavailable?): {}", e.toString());
                batch = List.of();
            }
            if (batch.isEmpty()) {
                try {
                    wake.tryAcquire(properties.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                    wake.drainPermits();
                } catch (InterruptedException e) {
                    return;
                }
                continue;
            }
            List<Thread> inFlight = new ArrayList<>(batch.size());
            for (WebhookStore.Claimed d : batch) {
                inFlight.add(Thread.ofVirtual().name("webhook-" + d.seq()).start(() -> attempt(d)));
            }
            for (Thread t : inFlight) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** Hourly: delivered and failed rows older than the log retention leave the log, in bounded batches. */
    private void purge() {
        if (System.nanoTime() - nextPurge < 0) {
            return;
        }
        nextPurge = System.nanoTime() + Duration.ofHours(1).toNanos();
        try {
            Instant cutoff = clock.instant().minus(properties.logRetention());
            int total = 0;
            for (int n = store.purge(cutoff, PURGE_BATCH); n > 0 && !stopping; n = store.purge(cutoff, PURGE_BATCH)) {
                total += n;
            }
            if (total > 0) {
                log.info("{} webhook deliveries older than {} left the log", total, properties.logRetention());
            }
        } catch (RuntimeException e) {
            log.warn("Old webhook deliveries not purged: {}", e.toString());
        }
    }

    /** One attempt of one delivery, and its outcome in the log. */
    void attempt(WebhookStore.Claimed d) {
        Integer status = null;
        String error;
        try {
            URI url = URI.create(d.url());
            Optional<String> refused = guard.refuse(url);
            if (refused.isPresent()) {
                error = "not sent: " + refused.get();
            } else {
                long timestamp = clock.instant().getEpochSecond();
                HttpRequest request = HttpRequest.newBuilder(url).timeout(properties.timeout())
                        .header("Content-Type", "application/json; charset=utf-8")
                        .header("User-Agent", "Callibry-Webhook/1")
                        .header(WebhookSignature.EVENT_HEADER, d.type())
                        .header(WebhookSignature.DELIVERY_HEADER, d.eventId())
                        .header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp))
                        .header(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(d.secret(), timestamp, d.body()))
                        .POST(HttpRequest.BodyPublishers.ofString(d.body())).build();
                HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                status = response.statusCode();
                if (status >= 200 && status < 300) {
                    store.delivered(d.seq(), status, clock.instant());
                    return;
                }
                error = "HTTP " + status;
            }
        } catch (HttpTimeoutException e) {
            error = "timed out after " + properties.timeout().toMillis() + " ms";
        } catch (IOException | IllegalArgumentException e) {
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return; // shutting down: the lease makes it due again
        } catch (RuntimeException e) {
            log.error("Webhook delivery {} failed unexpectedly: {}", d.seq(), e.toString(), e);
            error = e.toString();
        }
        Duration wait = backoff.after(d.attempts());
        try {
            store.attemptFailed(d.seq(), status, error.length() > MAX_ERROR_CHARS ? error.substring(0, MAX_ERROR_CHARS) : error,
                    wait == null ? null : clock.instant().plus(wait));
        } catch (RuntimeException e) {
            log.warn("Outcome of webhook delivery {} not stored (it is tried again after its lease): {}", d.seq(), e.toString());
        }
        if (wait == null) {
            log.info("Webhook delivery {} ({} of call {}) to {} failed after {} attempts: {}", d.seq(), d.type(), d.callId(),
                    d.url(), d.attempts(), error);
        }
    }

    @Override
    public synchronized void start() {
        if (thread == null) {
            stopping = false;
            thread = Thread.ofPlatform().name("webhook-deliverer").daemon(true).start(this::run);
        }
    }

    @Override
    public synchronized void stop() {
        Thread t = thread;
        if (t == null) {
            return;
        }
        stopping = true;
        wake.release();
        try {
            t.join(properties.timeout().plusSeconds(1).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread = null;
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }
}

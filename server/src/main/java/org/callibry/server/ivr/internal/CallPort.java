package org.callibry.server.ivr.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongFunction;
import org.callibry.server.acd.QueueDirectory;
import org.callibry.server.acd.QueueEntrance;
import org.callibry.server.calls.CallControl;
import org.callibry.server.calls.CallSession;
import org.callibry.server.crm.CallerCards;
import org.callibry.server.directory.AudioUploads;
import org.callibry.server.directory.Holidays;
import org.callibry.server.directory.SipDirectory;
import org.callibry.server.directory.TenantZones;
import org.callibry.shared.api.dto.Calls;

/**
 * The line of a real call: plays on the media server session, buffers the caller's digits (typed
 * ahead through prompts), makes HTTP requests, records into the tenant's audio library, and hands the
 * caller to a queue or another number by calling it as a leg of the same call and bridging the two.
 * Methods block the call's virtual thread; once the caller has hung up each throws {@link CallerGone}.
 */
final class CallPort implements IvrPort {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(CallPort.class);
    /** A body larger than this is cut (a lookup answers a few fields, not files). */
    static final int MAX_BODY_BYTES = 1 << 20;
    private static final char HUNG_UP = '\0';

    /** What every call shares: the server's services. */
    record Services(IvrPrompts prompts, HttpClient http, AudioUploads uploads, CallControl calls, QueueDirectory queues,
                    QueueEntrance entrance, SipDirectory directory, TenantZones zones, Holidays holidays, LongFunction<Optional<Loaded>> scenarios,
                    Path tmp, HttpGuard guard, CallerCards cards) {
    }

    private final CallSession session;
    private final long tenantId;
    private final Services services;
    private final BlockingQueue<Character> digits = new LinkedBlockingQueue<>();
    private final Object lock = new Object();
    private long finishedPlays;
    private volatile String gone;
    private volatile boolean handedOver;

    CallPort(CallSession session, long tenantId, Services services) {
        this.session = session;
        this.tenantId = tenantId;
        this.services = services;
        session.addListener(new CallSession.Listener() {
            @Override
            public void digit(CallSession s, char digit) {
                digits.offer(digit);
                wake();
            }

            @Override
            public void playbackFinished(CallSession s) {
                synchronized (lock) {
                    finishedPlays++;
                    lock.notifyAll();
                }
            }

            @Override
            public void ended(CallSession s, String reason) {
                gone = reason == null ? "hung up" : reason;
                digits.offer(HUNG_UP);
                wake();
            }
        });
    }

    private void wake() {
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    private void checkActive() {
        String reason = gone;
        if (reason != null || !session.active()) {
            throw new CallerGone(reason == null ? "hung up" : reason);
        }
    }

    @Override
    public void play(String language, List<Prompt> prompts, boolean interruptible) throws MissingAudio {
        checkActive();
        List<short[]> audio = new ArrayList<>(prompts.size());
        for (Prompt p : prompts) {
            Optional<short[]> samples = p.said() ? services.prompts().said(tenantId, language, p.name())
                    : services.prompts().audio(tenantId, language, p.name());
            audio.add(samples.orElseThrow(() -> new MissingAudio(p.name())));
        }
        if (audio.isEmpty() || (interruptible && !digits.isEmpty())) {
            return; // a digit typed ahead answers before the prompt is heard
        }
        synchronized (lock) {
            long before = finishedPlays;
            session.play(audio, false, interruptible);
            try {
                while (finishedPlays == before && gone == null && !(interruptible && !digits.isEmpty())) {
                    lock.wait(1000);
                    if (!session.active()) {
                        break;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CallerGone("interrupted");
            }
        }
        if (interruptible && !digits.isEmpty()) {
            session.stopPlayback();
        }
        checkActive();
    }

    @Override
    public Character digit(Duration timeout) {
        checkActive();
        try {
            Character d = digits.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (d != null && d == HUNG_UP) {
                digits.offer(HUNG_UP);
            }
            checkActive();
            return d;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CallerGone("interrupted");
        }
    }

    @Override
    public void discardDigits() {
        digits.removeIf(c -> c != HUNG_UP);
    }

    @Override
    public HttpResponse http(IvrPort.HttpRequest request) throws Failed {
        checkActive();
        long start = System.nanoTime();
        try {
            URI uri = URI.create(request.url());
            Optional<String> refused = services.guard().refuse(uri);
            if (refused.isPresent()) {
                throw new Failed("not fetched: " + refused.get(), false, millis(start));
            }
            java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(uri).timeout(request.timeout());
            request.headers().forEach(b::header);
            if (request.body() != null) {
                if (request.headers().keySet().stream().noneMatch(h -> h.equalsIgnoreCase("Content-Type"))) {
                    b.header("Content-Type", "application/json");
                }
                b.method(request.method(), java.net.http.HttpRequest.BodyPublishers.ofString(request.body(), StandardCharsets.UTF_8));
            } else {
                b.method(request.method(), java.net.http.HttpRequest.BodyPublishers.noBody());
            }
            // the request timeout covers the answer's headers; the whole exchange is bounded here too
            CompletableFuture<java.net.http.HttpResponse<InputStream>> f =
                    services.http().sendAsync(b.build(), java.net.http.HttpResponse.BodyHandlers.ofInputStream());
            java.net.http.HttpResponse<InputStream> r = f.get(request.timeout().toMillis(), TimeUnit.MILLISECONDS);
            String body;
            try (InputStream in = r.body()) {
                body = new String(in.readNBytes(MAX_BODY_BYTES), StandardCharsets.UTF_8);
            }
            return new HttpResponse(r.statusCode(), body, millis(start));
        } catch (TimeoutException e) {
            throw new Failed("no answer within " + request.timeout().toMillis() + " ms", true, millis(start));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpTimeoutException) {
                throw new Failed("no answer within " + request.timeout().toMillis() + " ms", true, millis(start));
            }
            throw new Failed(cause == null ? e.toString() : cause.toString(), false, millis(start));
        } catch (IOException | IllegalArgumentException e) {
            throw new Failed(e.toString(), false, millis(start));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CallerGone("interrupted");
        }
    }

    private static long millis(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    @Override
    public Recorded record(String name, Duration max, String stopDigits) throws Failed {
        checkActive();
        long start = System.nanoTime();
        Path wav;
        try {
            Files.createDirectories(services.tmp());
            wav = Files.createTempFile(services.tmp(), "ivr-record-", ".wav");
        } catch (IOException e) {
            throw new Failed("no room for the recording: " + e.getMessage(), false, 0);
        }
        try {
            digits.removeIf(c -> c != HUNG_UP && stopDigits.indexOf(c) >= 0); // a stop digit typed before the beep
            Path file = session.record(wav, max, stopDigits).get(max.toMillis() + 5000, TimeUnit.MILLISECONDS);
            digits.removeIf(c -> c != HUNG_UP && stopDigits.indexOf(c) >= 0); // the digit that stopped it
            if (!Files.exists(file) || Files.size(file) <= 44 + 8000 / 5) {
                throw new Failed("nothing was recorded", false, millis(start));
            }
            long id = services.uploads().store(tenantId, name, file);
            return new Recorded(id, name, millis(start));
        } catch (ExecutionException | TimeoutException | IOException | IllegalArgumentException e) {
            throw new Failed(e.getMessage() == null ? e.toString() : e.getMessage(), false, millis(start));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CallerGone("interrupted");
        } finally {
            try {
                Files.deleteIfExists(wav);
            } catch (IOException ignored) {
                // a temporary file the maintenance purge removes
            }
        }
    }

    @Override
    public String queue(long queueId) throws Failed {
        QueueDirectory.Info info = services.queues().queues(List.of(queueId)).get(queueId);
        if (info == null || info.tenantId() != tenantId) {
            throw new Failed("no queue " + queueId + " in the tenant", false, 0);
        }
        checkActive();
        session.stopPlayback();
        Optional<String> refused = services.entrance().enter(session, queueId);
        if (refused.isPresent()) {
            throw new Failed("queue " + info.name() + " did not take the caller: " + refused.get(), false, 0);
        }
        handedOver = true;
        log.info("IVR call {}: the caller {} is in queue {}", session.callId(), session.caller(), info.name());
        return "in queue " + info.name();
    }

    /** Whether the caller went to a queue, which now owns the call (the IVR must not hang it up). */
    boolean handedOver() {
        return handedOver;
    }

    @Override
    public String transfer(String number, Duration ring) throws Failed {
        return connect(number, ring, number);
    }

    /**
     * Calls {@code number} as a leg of this call and bridges the caller to it; returns when either
     * side hangs up (the other is hung up then).
     */
    private String connect(String number, Duration ring, String what) throws Failed {
        checkActive();
        session.stopPlayback();
        CompletableFuture<CallSession> leg = services.calls().originate(new CallControl.Originate(number, session.caller(),
                tenantId, ring, session.callId(), java.util.Map.of()));
        log.info("IVR call {}: calling {} ({}) for the caller {}", session.callId(), number, what, session.caller());
        CallSession other;
        try {
            other = leg.get(ring.toMillis() + 5000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            leg.cancel(true);
            Throwable cause = e.getCause() == null ? e : e.getCause();
            log.info("IVR call {}: {} did not answer: {}", session.callId(), number, cause.toString());
            throw new Failed(what + " did not answer: " + (cause.getMessage() == null ? cause.toString() : cause.getMessage()),
                    e instanceof TimeoutException, 0);
        } catch (InterruptedException e) {
            leg.cancel(true);
            Thread.currentThread().interrupt();
            throw new CallerGone("interrupted");
        }
        if (!session.active()) {
            other.hangup("the caller hung up");
            throw new CallerGone(gone == null ? "hung up" : gone);
        }
        CompletableFuture<String> ended = new CompletableFuture<>();
        other.addListener(new CallSession.Listener() {
            @Override
            public void ended(CallSession s, String reason) {
                ended.complete("the other side ended: " + reason);
            }
        });
        session.addListener(new CallSession.Listener() {
            @Override
            public void ended(CallSession s, String reason) {
                ended.complete("the caller ended: " + reason);
            }
        });
        session.bridge(other);
        if (!other.active()) {
            ended.complete("the other side ended");
        }
        if (!session.active()) {
            ended.complete("the caller ended");
        }
        try {
            return "connected; " + ended.get();
        } catch (ExecutionException e) {
            return "connected";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "connected";
        } finally {
            other.hangup("IVR call ended");
            session.hangup("IVR call ended");
        }
    }

    @Override
    public Optional<String> accountNumber(long accountId) {
        return services.directory().account(accountId).filter(c -> c.tenantId() == tenantId).map(SipDirectory.Credentials::number);
    }

    @Override
    public Optional<Loaded> scenario(long id) {
        // the caller's tenant's scenarios only: a target may be typed by the caller
        return services.scenarios().apply(id).filter(l -> l.tenantId() == tenantId);
    }

    @Override
    public void hangup(String reason) {
        session.hangup(reason);
    }

    @Override
    public Instant now() {
        return Instant.now();
    }

    @Override
    public ZoneId zone() {
        return services.zones().zone(tenantId);
    }

    @Override
    public Optional<String> holiday(LocalDate date) {
        return services.holidays().holiday(tenantId, date);
    }

    @Override
    public Optional<Calls.CallerCard> callerCard(String number) throws Failed {
        checkActive();
        long start = System.nanoTime();
        try {
            return Optional.ofNullable(services.cards().card(tenantId, number));
        } catch (RuntimeException e) {
            throw new Failed(e.getMessage() == null ? e.toString() : e.getMessage(), false, millis(start));
        }
    }
}

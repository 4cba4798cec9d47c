package org.callibry.server.dialer.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.callibry.server.calls.CallApplication;
import org.callibry.server.calls.CallControl;
import org.callibry.server.calls.CallFailedException;
import org.callibry.server.calls.CallSession;
import org.callibry.server.directory.AudioPrompts;
import org.callibry.shared.api.dto.Campaigns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;

/**
 * One attempt of a campaign: placed from the media server through the routes (with the attempt's call
 * id and {@value #CAMPAIGN_HEADER}), classified when it stops ringing ({@link CallFailedException}: busy,
 * no answer, failed), served when answered (the audio, or handed to the IVR or queue application as a
 * {@link CampaignLeg}, with the 2-second rule for predictive calls), and recorded exactly once when it
 * ends or is cut by a stop ({@code INTERRUPTED}). Its result decides the number's next attempt
 * ({@link Retries}).
 */
final class CampaignCall {
    private static final Logger log = LoggerFactory.getLogger(CampaignCall.class);
    static final String CAMPAIGN_HEADER = "X-Callibry-Campaign";

    /** What a call uses of the server: the tables, the clock, the audio files, the media server, a thread for blocking work. */
    record Services(CampaignStore store, DialerClock clock, AudioPrompts audio, ObjectProvider<CallControl> calls,
                    ExecutorService work) {
    }

    private final Dialer dialer;
    private final Services services;
    private final DialerClock clock;
    final CampaignRun run;
    final CampaignStore.Claimed number;
    final Instant startedAt;
    volatile CompletableFuture<CallSession> call;
    volatile CallSession session;
    volatile Instant answeredAt;
    volatile CampaignLeg leg;
    volatile boolean abandoned;
    /** Answered, then refused by the application it was handed to (an IVR without the scenario). */
    volatile boolean failed;
    volatile Instant bridgedAt;
    private volatile boolean interrupted;
    private volatile boolean recorded;
    private volatile DialerClock.Timer noAgent;

    CampaignCall(Dialer dialer, Services services, CampaignRun run, CampaignStore.Claimed number, Instant startedAt) {
        this.dialer = dialer;
        this.services = services;
        this.clock = services.clock();
        this.run = run;
        this.number = number;
        this.startedAt = startedAt;
    }

    synchronized void place() {
        if (call != null) {
            return;
        }
        Campaigns.Campaign c = run.config;
        CallControl control = services.calls().getIfAvailable();
        if (control == null) {
            call = CompletableFuture.failedFuture(new CallFailedException(0, CallFailedException.Result.FAILED, "no media server"));
        } else {
            call = control.originate(new CallControl.Originate(number.number(), c.callerId(), c.tenantId(),
                    Duration.ofSeconds(c.ringTimeoutSeconds()), number.callId(), Map.of(CAMPAIGN_HEADER, c.name())));
        }
        call.whenCompleteAsync(this::rang, services.work());
    }

    /** The call stopped ringing: answered, or failed (busy, no answer, ...). */
    private final java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();

    private void rang(CallSession s, Throwable err) {
        Instant now = clock.now();
        double ring = Duration.between(startedAt, now).toMillis() / 1000.0;
        dialer.rang(run, err == null, ring, now, !interrupted);
        if (err != null) {
            Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null ? err.getCause() : err;
            Campaigns.Result result;
            int code = 0;
            if (interrupted || dialer.stopping()) {
                result = Campaigns.Result.INTERRUPTED;
            } else if (cause instanceof CallFailedException f) {
                code = f.sipCode();
                result = switch (f.result()) {
                    case BUSY -> Campaigns.Result.BUSY;
                    case NO_ANSWER -> Campaigns.Result.NO_ANSWER;
                    case FAILED -> Campaigns.Result.FAILED;
                };
            } else {
                result = cause instanceof java.util.concurrent.CancellationException ? Campaigns.Result.INTERRUPTED
                        : Campaigns.Result.FAILED;
            }
            record(result, code);
            return;
        }
        session = s;
        answeredAt = now;
        // the listener first: a callee who hangs up at once (before it was there) would never be recorded
        s.addListener(new CallSession.Listener() {
            @Override
            public void ended(CallSession x, String reason) {
                services.work().execute(() -> hungUp(reason));
            }
        });
        if (!s.active()) {
            hungUp("hung up at once");
            return;
        }
        try {
            services.store().answered(number.attemptId(), now);
        } catch (RuntimeException e) {
            // the answer time is kept by the attempt's end record; the call goes on
            org.slf4j.LoggerFactory.getLogger(CampaignCall.class).warn("Answer of attempt {} not stored: {}",
                    number.attemptId(), e.toString());
        }
        if (interrupted || dialer.stopping()) {
            s.hangup("campaign stopped");
            return;
        }
        try {
            serve(s);
        } catch (Exception e) {
            log.warn("Campaign {}: serving the answered call to {} failed: {}", run.config.id(), number.number(), e.toString());
            s.hangup("campaign error");
        }
    }

    /** What an answered call gets: the audio, the scenario, or the queue (with the 2-second rule when predictive). */
    private void serve(CallSession s) throws Exception {
        Campaigns.Campaign c = run.config;
        switch (c.onAnswer()) {
            case PLAY -> {
                List<short[]> prompts = new ArrayList<>();
                List<short[]> once = new ArrayList<>();
                for (Long id : c.audioFileIds()) {
                    services.audio().playback(c.tenantId(), id).ifPresent(once::add);
                }
                for (int i = 0; i < c.playTimes(); i++) {
                    prompts.addAll(once);
                }
                if (prompts.isEmpty()) {
                    s.hangup("no audio to play");
                    return;
                }
                s.addListener(new CallSession.Listener() {
                    @Override
                    public void playbackFinished(CallSession x) {
                        x.hangup("message played");
                    }
                });
                s.play(prompts, false, false);
            }
            case IVR -> handOver(s, CallControl.IVR, String.valueOf(c.ivrId()));
            case QUEUE -> {
                handOver(s, CallControl.QUEUE, String.valueOf(c.queueId()));
                if (c.predictive()) {
                    noAgent = clock.schedule(Pacing.NO_AGENT_LIMIT, this::noAgentInTime);
                }
            }
        }
    }

    private void handOver(CallSession s, String kind, String service) throws Exception {
        CallControl control = services.calls().getIfAvailable();
        Optional<CallApplication> app = control == null ? Optional.empty() : control.application(kind);
        if (app.isEmpty()) {
            log.warn("Campaign {}: no {} application on this node; the answered call to {} is hung up", run.config.id(), kind,
                    number.number());
            s.hangup("no " + kind + " application");
            return;
        }
        Map<String, String> vars = new LinkedHashMap<>(number.variables());
        vars.put("number", number.number());
        vars.put("name", number.name());
        vars.put("campaignId", Long.toString(run.config.id()));
        vars.put("campaign", run.config.name());
        leg = new CampaignLeg(s, service, number.callId(), vars, () -> bridgedAt = clock.now(), why -> refused(kind, why));
        app.get().start(leg);
    }

    /** Two seconds after the answer and no agent: abandoned; the callee hears the abandon message. */
    private void noAgentInTime() {
        CampaignLeg l = leg;
        CallSession s = session;
        if (l == null || s == null || !s.active() || !l.abandonUnlessBridged("no agent within 2 s")) {
            return;
        }
        abandon(s);
    }

    /**
     * The application let go of the answered call: a queue that is full or closed leaves the callee without
     * an agent (abandoned, with the message); an IVR without the scenario is a failure.
     */
    private void refused(String kind, String why) {
        CallSession s = session;
        log.info("Campaign {}: the {} application refused the call to {}: {}", run.config.id(), kind, number.number(), why);
        if (s == null) {
            return;
        }
        if (CallControl.QUEUE.equals(kind)) {
            abandon(s);
        } else {
            failed = true;
            s.hangup(why);
        }
    }

    /** Answered and no agent: counted against the campaign's abandon rate; the callee hears the abandon message. */
    private void abandon(CallSession s) {
        DialerClock.Timer t = noAgent;
        if (t != null) {
            t.cancel();
        }
        abandoned = true;
        dialer.abandoned(run, clock.now());
        Campaigns.Campaign c = run.config;
        Optional<short[]> message = c.abandonAudioId() == null ? Optional.empty() : services.audio().playback(c.tenantId(), c.abandonAudioId());
        if (message.isEmpty()) {
            s.hangup("no agent");
            return;
        }
        s.addListener(new CallSession.Listener() {
            @Override
            public void playbackFinished(CallSession x) {
                x.hangup("no agent; message played");
            }
        });
        s.play(List.of(message.get()), false, false);
    }

    /** The answered call ended. */
    private void hungUp(String reason) {
        if (!ended.compareAndSet(false, true)) {
            return; // the listener and the at-once check may both come here
        }
        DialerClock.Timer t = noAgent;
        if (t != null) {
            t.cancel();
        }
        Instant now = clock.now();
        int talk = answeredAt == null ? 0 : (int) Math.max(0, Duration.between(answeredAt, now).toSeconds());
        Instant b = bridgedAt;
        if (b != null) {
            dialer.handled(run, Duration.between(b, now).toMillis() / 1000.0);
        }
        record(abandoned ? Campaigns.Result.ABANDONED : failed ? Campaigns.Result.FAILED
                : interrupted || dialer.stopping() ? Campaigns.Result.INTERRUPTED : Campaigns.Result.ANSWERED, 200, talk);
    }

    void record(Campaigns.Result result, int code) {
        record(result, code, 0);
    }

    /** Writes the result once, frees the channel, and wakes the dispatcher. */
    void record(Campaigns.Result result, int code, int talkSeconds) {
        synchronized (this) {
            if (recorded) {
                return;
            }
            recorded = true;
        }
        Instant now = clock.now();
        Campaigns.Campaign c = run.config;
        try {
            services.store().finish(c.id(), number.numberId(), number.attemptId(), result, code, now, talkSeconds,
                    counts -> Retries.next(c, result, counts, now));
        } catch (RuntimeException e) {
            log.warn("Campaign {}: cannot record the attempt to {} ({}): {}", c.id(), number.number(), result, e.toString());
        }
        dialer.recorded(this, result);
    }

    /** The server or the campaign stops: the call is cancelled or hung up, and recorded as {@code INTERRUPTED}. */
    void interrupt() {
        interrupted = true;
        CompletableFuture<CallSession> f = call;
        if (f != null && !f.isDone()) {
            f.cancel(true);
        }
        CallSession s = session;
        if (s != null) {
            s.hangup("campaign stopped");
        }
    }
}

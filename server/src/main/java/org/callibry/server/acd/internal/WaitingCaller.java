package org.callibry.server.acd.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.callibry.server.calls.CallSession;
import org.callibry.shared.api.dto.Queues;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a caller hears and does while it waits: the queue's music, every {@code announceEverySeconds}
 * its position and estimated wait (a position announced never goes up) and the callback offer, then
 * the music again; the callback digit asks for the number to call back (the caller's own, or digits
 * entered then {@code #}) and turns the call into a callback request in the same place.
 */
final class WaitingCaller implements CallSession.Listener {
    private static final Logger log = LoggerFactory.getLogger(WaitingCaller.class);

    private final Acd acd;
    private final Entry entry;
    private final CallSession session;
    private final Announcements prompts;
    private final List<short[]> music;
    private final Queues.Queue queue;
    private volatile boolean announcing;
    private volatile boolean collecting;
    private volatile CompletableFuture<Void> promptDone;
    private volatile AcdClock.Timer next;

    WaitingCaller(Acd acd, Entry entry, Announcements prompts, List<short[]> music) {
        this.acd = acd;
        this.entry = entry;
        this.session = entry.session;
        this.prompts = prompts;
        this.music = music;
        this.queue = entry.queue.config;
    }

    /** Answers, starts the music, enters the queue and schedules the first announcement. */
    void start() {
        session.addListener(this);
        session.answer();
        session.play(music, true, false);
        acd.enter(entry);
        scheduleAnnouncement();
        if (!session.active()) {
            // gone before the listener was there (a caller handed over by an IVR hanging up at that moment)
            acd.callerLeft(entry, "hung up");
        }
    }

    private void scheduleAnnouncement() {
        int every = queue.announceEverySeconds();
        if (every > 0) {
            next = acd.clock().schedule(Duration.ofSeconds(every), this::announce);
        }
    }

    private boolean waiting() {
        return session.active() && !entry.served && entry.kind == Queues.Kind.CALL;
    }

    private void announce() {
        if (!waiting() || collecting) {
            return;
        }
        int[] pw = acd.announcement(entry);
        if (pw[0] == 0) {
            return;
        }
        String lang = queue.language();
        List<short[]> list = new ArrayList<>(prompts.position(entry.tenantId, lang, pw[0]));
        list.addAll(prompts.estimatedWait(entry.tenantId, lang, pw[1]));
        if (!queue.callbackDigit().isEmpty()) {
            list.addAll(prompts.callbackOffer(entry.tenantId, lang, queue.callbackDigit().charAt(0)));
        }
        announcing = true;
        session.play(list, false, false);
        scheduleAnnouncement();
    }

    @Override
    public void playbackFinished(CallSession s) {
        CompletableFuture<Void> done = promptDone;
        if (done != null) {
            done.complete(null);
        }
        if (announcing && waiting() && !collecting) {
            announcing = false;
            s.play(music, true, false);
        }
    }

    @Override
    public void digit(CallSession s, char digit) {
        String cb = queue.callbackDigit();
        if (cb.isEmpty() || digit != cb.charAt(0) || collecting || !waiting()) {
            return;
        }
        collecting = true;
        Thread.ofVirtual().name("acd-callback").start(this::askCallback);
    }

    /** Asks for the number, confirms, and hangs up; the entry keeps its place as a callback request. */
    private void askCallback() {
        String lang = queue.language();
        try {
            play(prompts.callbackEnterNumber(entry.tenantId, lang), true);
            String digits = session.collectDigits(15, Duration.ofSeconds(10), Duration.ofSeconds(5), "#").get(40, TimeUnit.SECONDS);
            String number = digits == null || digits.isEmpty() ? entry.caller : digits;
            if (!number.matches("\\+?[0-9]{2,20}") || !session.active()) {
                if (session.active()) {
                    play(prompts.callbackFailed(entry.tenantId, lang), false).get(20, TimeUnit.SECONDS);
                }
                resume();
                return;
            }
            if (!acd.requestCallback(entry, number)) {
                resume();
                return;
            }
            AcdClock.Timer t = next;
            if (t != null) {
                t.cancel();
            }
            play(prompts.callbackConfirmed(entry.tenantId, lang), false).get(30, TimeUnit.SECONDS);
            session.hangup("callback requested");
        } catch (Exception e) {
            log.debug("Callback request of {} failed: {}", entry.callId, e.toString());
            resume();
        }
    }

    private CompletableFuture<Void> play(List<short[]> prompt, boolean interruptible) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        promptDone = done;
        session.play(prompt, false, interruptible);
        return done;
    }

    private void resume() {
        collecting = false;
        promptDone = null;
        if (waiting()) {
            session.play(music, true, false);
        }
    }

    @Override
    public void ended(CallSession s, String reason) {
        AcdClock.Timer t = next;
        if (t != null) {
            t.cancel();
        }
        CompletableFuture<Void> done = promptDone;
        if (done != null) {
            done.complete(null);
        }
        acd.callerLeft(entry, reason == null ? "caller hung up" : reason);
    }
}

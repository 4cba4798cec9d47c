package org.callibry.server.dialer.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import org.callibry.shared.api.dto.Campaigns;

/**
 * A campaign as the {@link Dialer} runs it: its settings, schedule, token bucket, calls in the air and
 * ringing, the predictive pacing, and what it last said about dialling. Guarded by the dialer's lock.
 */
final class CampaignRun {
    volatile Campaigns.Campaign config;
    CallWindow window;
    double tokens;
    long refill = System.nanoTime();
    int inFlight;
    int ringing;
    /** Nothing was due at the last look: no new look before this {@code System.nanoTime()}. */
    long idleUntil;
    /** Predictive campaigns only. */
    Pacing pacing;
    Instant nextAdjust;
    int freeAgents;
    /** Why it does not dial now (null: it does). */
    volatile String dialling;
    /** Its progress changed since the last push. */
    volatile boolean dirty = true;
    long pushedAt;
    /** The tenant's holidays as looked up, per local date. */
    final Map<LocalDate, Boolean> holidays = new HashMap<>();

    long id() {
        return config.id();
    }

    /** Says why it does not dial now (null: it does); a change is pushed. */
    void dialling(String why) {
        if (!java.util.Objects.equals(dialling, why)) {
            dialling = why;
            dirty = true;
        }
    }

    /** The stored campaign with what only the running dialer knows: calls in the air, the pacing, why it waits. */
    static Campaigns.Campaign view(Campaigns.Campaign stored, int inFlight, Campaigns.Pacing pacing, String dialling) {
        Campaigns.Progress p = stored.progress();
        Campaigns.Progress progress = new Campaigns.Progress(p.numbers(), p.dialled(), p.answered(), p.busy(), p.noAnswer(),
                p.failed(), p.abandoned(), p.interrupted(), p.dnc(), p.remaining(), inFlight);
        return new Campaigns.Campaign(stored.id(), stored.tenantId(), stored.name(), stored.status(), stored.onAnswer(),
                stored.audioFileIds(), stored.playTimes(), stored.ivrId(), stored.queueId(), stored.callerId(),
                stored.maxConcurrent(), stored.callsPerSecond(), stored.ringTimeoutSeconds(), stored.retry(), stored.schedule(),
                stored.predictive(), stored.maxAbandonPercent(), stored.abandonAudioId(), progress, pacing, dialling,
                stored.createdAt(), stored.updatedAt());
    }
}

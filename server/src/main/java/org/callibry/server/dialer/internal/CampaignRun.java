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
}

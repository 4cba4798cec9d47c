package org.callibry.shared.api.dto;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Instant;
import java.util.Map;

/**
 * Call-center KPIs over a time range, from the queue log (definitions in docs/modules/queue-log.md).
 * Durations are seconds; averages are null when nothing was counted.
 */
public final class Kpis {
    private Kpis() {
    }

    /** Abandons with a shorter wait than the queue's {@code shortAbandonSeconds}, by default this, are counted apart ({@code shortAbandoned}). */
    public static final int SHORT_ABANDON_SECONDS = 5;

    /** {@code kpi.queues}: queue calls that entered in {@code [timeFrom, timeTo)}, per queue. */
    public record QueueParams(@NotNull Instant timeFrom, @NotNull Instant timeTo, @Positive Long queueId, @Positive Long tenantId) {
    }

    /** {@code kpi.agents}: per agent, over {@code [timeFrom, timeTo)}. */
    public record AgentParams(@NotNull Instant timeFrom, @NotNull Instant timeTo, @Positive Long accountId, @Positive Long tenantId) {
    }

    public record QueueKpi(long queueId, String queue, long offered, long answered, long abandoned, long shortAbandoned,
                           long answeredWithinServiceLevel, Double serviceLevelPct, Double asa, Double avgWait, Long maxWait,
                           Double avgTalk, Long maxTalk, Double aht, Double answeredRatio) {
    }

    /**
     * @param occupancy     (talk + wrap-up) / logged-in time, 0..1
     * @param pauseSeconds  time paused, by reason
     */
    public record AgentKpi(long accountId, String agent, long offered, long answered, long missed, Double avgTalk, Long maxTalk,
                           Double aht, long talkSeconds, long wrapUpSeconds, long loggedInSeconds, Double occupancy,
                           Map<String, Long> pauseSeconds) {
    }
}

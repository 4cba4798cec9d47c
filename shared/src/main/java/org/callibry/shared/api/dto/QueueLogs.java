package org.callibry.shared.api.dto;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Instant;
import java.util.List;

/** The queue log: every queue event and agent change, and the queue calls they make up. */
public final class QueueLogs {
    private QueueLogs() {
    }

    /**
     * One logged event. {@code event} is a queue event ({@code ENTERED}, {@code OFFERED}, {@code ANSWERED},
     * {@code ABANDONED}, ...) or {@code AGENT} (an agent change: {@code status}, {@code state}, reason in
     * {@code detail}).
     */
    public record Entry(String id, Instant at, long tenantId, Long queueId, String callId, String entryId, String event,
                        String caller, Long agentId, Long accountId, int position, long waitSeconds, String status,
                        String state, String detail) {
    }

    /**
     * {@code queue.log}: events in {@code [timeFrom, timeTo)} (ISO-8601 instants), optionally of one queue
     * or one agent's account, oldest first, paged like {@code cdr.search}.
     */
    public record SearchParams(@NotNull Instant timeFrom, @NotNull Instant timeTo, @Positive Long queueId,
                               @Positive Long accountId, @Positive Long tenantId, @Min(0) Integer offset,
                               @Min(1) @Max(1000) Integer limit) {
    }

    public record SearchResult(List<Entry> items, long total, int offset, int limit) {
    }

    /**
     * One queue call as the log tells it (a row of {@code GET /api/queue-log.csv}).
     *
     * @param outcome {@code ANSWERED}, {@code ABANDONED}, {@code CALLBACK_REQUESTED}, {@code TIMED_OUT},
     *                {@code OVERFLOWED}, {@code KICKED}, {@code SHUTDOWN}, or {@code WAITING} (not over yet)
     */
    public record QueueCall(String callId, String entryId, Long queueId, String queue, String caller, Long agentAccountId,
                            String agent, Instant entered, long waitedSeconds, long talkedSeconds, String outcome) {
    }

    /** {@code queue.calls}: queue calls that entered in [timeFrom, timeTo), of one queue or all, paged. */
    public record CallsParams(@NotNull Instant timeFrom, @NotNull Instant timeTo, @Positive Long queueId,
                              @Positive Long tenantId, @Min(0) Integer offset, @Min(1) @Max(1000) Integer limit) {
    }
}

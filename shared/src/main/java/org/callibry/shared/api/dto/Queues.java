package org.callibry.shared.api.dto;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.DayOfWeek;
import java.time.Instant;
import java.util.List;

/**
 * ACD queues: callers wait with music and announcements until an agent (a SIP account that is a
 * member) takes the call. A queue's {@code number} is dialable by its tenant's accounts like an
 * extension; routes of destination type {@code QUEUE} name it by id for calls from outside.
 */
public final class Queues {
    private Queues() {
    }

    /** A queue number: digits (and {@code * #}), 1-32 characters. */
    public static final String NUMBER_PATTERN = "^[0-9*#]{1,32}$";
    /** The callback digit: one DTMF digit, or empty for no callback. */
    public static final String DIGIT_PATTERN = "^[0-9*#]?$";

    /** How a call picks among the free agents of the lowest penalty tier that has one. */
    public enum Strategy {
        /** Every free agent of the tier rings at once; the first to answer takes the call. */
        RING_ALL,
        /** In member order, always from the first. */
        LINEAR,
        RANDOM,
        /** In member order, from the one after the agent offered last. */
        ROUND_ROBIN,
        /** The agent whose last queue call ended longest ago. */
        LEAST_RECENT,
        /** The agent who answered the fewest queue calls today. */
        FEWEST_CALLS
    }

    /** Where a caller goes when the queue cannot serve it. */
    public enum OverflowKind {
        /** Another queue: {@code target} is its id. */
        QUEUE,
        /** An account: {@code target} is its id. */
        ACCOUNT,
        /** Any number, dialled through the routes: {@code target} is the number. */
        NUMBER
    }

    /** An overflow destination; null in a queue means "none": the caller keeps waiting (or hears busy when full). */
    public record Overflow(@NotNull OverflowKind kind, @NotBlank @Size(max = 64) String target) {
    }

    /**
     * Opening hours: on these days, from {@code from} to {@code to} ({@code HH:mm}; {@code to} may be
     * {@code 24:00}; a range past midnight is written as two).
     */
    public record Hours(@NotNull @Size(min = 1, max = 7) List<@NotNull DayOfWeek> days,
                        @NotNull @Pattern(regexp = "^([01]\\d|2[0-3]):[0-5]\\d$", message = "must be HH:mm") String from,
                        @NotNull @Pattern(regexp = "^(([01]\\d|2[0-3]):[0-5]\\d|24:00)$", message = "must be HH:mm or 24:00")
                        String to) {
    }

    /** A member agent: its account and its penalty tier (0 is offered first). */
    public record Member(@NotNull @Positive Long accountId, @Min(0) @Max(100) int penalty) {
    }

    /**
     * One queue.
     *
     * @param musicOnHold          tenant audio file ids played in order while waiting; empty: the tenant's
     *                             music on hold, else the default music
     * @param maxWaiting           callers waiting at most (calls and callbacks); 0 = no limit
     * @param maxWaitSeconds       longest wait before the timeout overflow; 0 = no limit
     * @param overflowOnTimeout    where a caller goes after {@code maxWaitSeconds}; null: hung up
     * @param overflowWhenFull     where a caller goes when {@code maxWaiting} are waiting; null: busy
     * @param overflowNoAgents     where a caller goes when no member is logged in; null: waits anyway
     * @param announceEverySeconds position and estimated wait every N seconds; 0 = never
     * @param language             {@code en} or {@code ru}
     * @param callbackDigit        the digit that asks for a callback; empty = no callback offer
     * @param autoPauseAfterMissed pause an agent after N offers missed in a row; 0 = never
     * @param weight               a shared agent is fed by the queue of highest weight first
     * @param priority             priority of this queue's callers (higher served first; a route may raise it)
     * @param shortAbandonSeconds  callers who give up before this wait are short abandons, counted apart in the KPIs
     * @param hours                when the queue takes callers, in its tenant's time zone; empty: always
     * @param closedOnHolidays     closed on the dates of the tenant's holiday calendar
     * @param overflowWhenClosed   where callers go while the queue is closed; null: refused (480, "queue closed")
     */
    public record Queue(long id, long tenantId, String number, String name, Strategy strategy, List<Member> members,
                        List<Long> musicOnHold, int maxWaiting, int maxWaitSeconds, Overflow overflowOnTimeout,
                        Overflow overflowWhenFull, Overflow overflowNoAgents, int announceEverySeconds, String language,
                        int wrapUpSeconds, int ringTimeoutSeconds, int serviceLevelSeconds, String callbackDigit,
                        int callbackRetries, int autoPauseAfterMissed, int weight, int priority, boolean record,
                        int shortAbandonSeconds, List<Hours> hours, boolean closedOnHolidays, Overflow overflowWhenClosed,
                        Instant createdAt, Instant updatedAt) {
    }

    /**
     * A new queue. Null fields take their defaults: the caller's tenant, {@code RING_ALL}, no members,
     * default music, no limits, no overflow, announcements every 60 s, English, wrap-up 0 s, ring 20 s,
     * service level 20 s, no callback (3 retries when enabled), no auto-pause, weight 0, priority 0, not recorded,
     * abandons under 5 s counted apart as short.
     */
    public record Create(@Positive Long tenantId,
                         @NotNull @Pattern(regexp = NUMBER_PATTERN, message = "must be 1-32 of 0-9 * #") String number,
                         @NotBlank @Size(max = 100) String name,
                         Strategy strategy,
                         @Size(max = 1000) List<@Valid @NotNull Member> members,
                         @Size(max = 50) List<@NotNull @Positive Long> musicOnHold,
                         @Min(0) @Max(100_000) Integer maxWaiting,
                         @Min(0) @Max(86_400) Integer maxWaitSeconds,
                         @Valid Overflow overflowOnTimeout,
                         @Valid Overflow overflowWhenFull,
                         @Valid Overflow overflowNoAgents,
                         @Min(0) @Max(3_600) Integer announceEverySeconds,
                         @Pattern(regexp = "^(en|ru)$", message = "must be en or ru") String language,
                         @Min(0) @Max(3_600) Integer wrapUpSeconds,
                         @Min(5) @Max(600) Integer ringTimeoutSeconds,
                         @Min(1) @Max(3_600) Integer serviceLevelSeconds,
                         @Pattern(regexp = DIGIT_PATTERN, message = "must be one of 0-9 * # or empty") String callbackDigit,
                         @Min(0) @Max(20) Integer callbackRetries,
                         @Min(0) @Max(100) Integer autoPauseAfterMissed,
                         @Min(-1000) @Max(1000) Integer weight,
                         @Min(-1000) @Max(1000) Integer priority,
                         Boolean record,
                         @Min(0) @Max(600) Integer shortAbandonSeconds,
                         @Size(max = 21) List<@Valid @NotNull Hours> hours,
                         Boolean closedOnHolidays,
                         @Valid Overflow overflowWhenClosed) {

        /** A queue with only the required fields; the others take their defaults. */
        public static Create of(Long tenantId, String number, String name, Strategy strategy, List<Member> members) {
            return new Create(tenantId, number, name, strategy, members, null, null, null, null, null, null, null, null,
                    null, null, null, null, null, null, null, null, null, null, null, null, null);
        }
    }

    /**
     * Partial update: a null field keeps its value; {@code members} and {@code musicOnHold} replace the
     * lists when given. An overflow is cleared by {@code clearOverflows} naming it
     * ({@code onTimeout}, {@code whenFull}, {@code noAgents}, {@code whenClosed}).
     */
    public record Update(@NotNull @Positive Long id,
                         @Pattern(regexp = NUMBER_PATTERN, message = "must be 1-32 of 0-9 * #") String number,
                         @Size(min = 1, max = 100) String name,
                         Strategy strategy,
                         @Size(max = 1000) List<@Valid @NotNull Member> members,
                         @Size(max = 50) List<@NotNull @Positive Long> musicOnHold,
                         @Min(0) @Max(100_000) Integer maxWaiting,
                         @Min(0) @Max(86_400) Integer maxWaitSeconds,
                         @Valid Overflow overflowOnTimeout,
                         @Valid Overflow overflowWhenFull,
                         @Valid Overflow overflowNoAgents,
                         @Size(max = 4) List<@NotNull @Pattern(regexp = "^(onTimeout|whenFull|noAgents|whenClosed)$",
                                 message = "must be onTimeout, whenFull, noAgents or whenClosed") String> clearOverflows,
                         @Min(0) @Max(3_600) Integer announceEverySeconds,
                         @Pattern(regexp = "^(en|ru)$", message = "must be en or ru") String language,
                         @Min(0) @Max(3_600) Integer wrapUpSeconds,
                         @Min(5) @Max(600) Integer ringTimeoutSeconds,
                         @Min(1) @Max(3_600) Integer serviceLevelSeconds,
                         @Pattern(regexp = DIGIT_PATTERN, message = "must be one of 0-9 * # or empty") String callbackDigit,
                         @Min(0) @Max(20) Integer callbackRetries,
                         @Min(0) @Max(100) Integer autoPauseAfterMissed,
                         @Min(-1000) @Max(1000) Integer weight,
                         @Min(-1000) @Max(1000) Integer priority,
                         Boolean record,
                         @Min(0) @Max(600) Integer shortAbandonSeconds,
                         @Size(max = 21) List<@Valid @NotNull Hours> hours,
                         Boolean closedOnHolidays,
                         @Valid Overflow overflowWhenClosed) {

        /** An update of queue {@code id} that changes nothing. */
        public static Update of(long id) {
            return new Update(id, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                    null, null, null, null, null, null, null, null, null, null, null);
        }
    }

    /** {@code queue.list}: the queues of a tenant (admins may name one; operators get the queues they are in). */
    public record ListParams(@Positive Long tenantId) {
    }

    /** Whether a waiting entry is a caller on the line or a callback request (the caller hung up). */
    public enum Kind { CALL, CALLBACK }

    /** One waiting caller or callback, in service order ({@code position} 1 is served next). */
    public record Waiting(String id, long queueId, String caller, int position, long waitSeconds, int priority, Kind kind,
                          String callId, Instant enteredAt) {
    }

    public record WaitingParams(@NotNull @Positive Long queueId) {
    }

    public record SetPriority(@NotBlank String id, @NotNull @Min(-1000) @Max(1000) Integer priority) {
    }

    public record Move(@NotBlank String id, @NotNull @Positive Long queueId) {
    }

    /** Hang the caller up (no destination), or send it to an account or number ({@code destination} as dialled). */
    public record Kick(@NotBlank String id, @Size(max = 64) String destination) {
    }

    public record DirectToAgent(@NotBlank String id, @NotNull @Positive Long accountId) {
    }

    /** {@code queue.waitingChanged}: the queue's waiting list after a change. */
    public record WaitingChanged(long queueId, long tenantId, List<Waiting> waiting) {
    }

    /** {@code queue.stats}: the live figures of a tenant's queues (admins: any tenant, or all). */
    public record StatsParams(@Positive Long tenantId) {
    }

    /**
     * A queue's live figures (also pushed as {@code queue.statsChanged}, a few times a second at most).
     *
     * @param agents           member agents by live state ({@code FREE}, {@code BUSY}, ...)
     * @param serviceLevelPct  today's answered within the service level / (offered − short abandons), or null
     */
    public record Stats(long queueId, long tenantId, String name, int waiting, long longestWaitSeconds,
                        java.util.Map<String, Integer> agents, long offeredToday, long answeredToday, long abandonedToday,
                        Double serviceLevelPct) {
    }
}

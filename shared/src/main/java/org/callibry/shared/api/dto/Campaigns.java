package org.callibry.shared.api.dto;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;

/**
 * Outbound dialing campaigns (the seed's {@code ks_caller}): a list of numbers called from the media
 * server within a schedule, at most {@code maxConcurrent} at once and {@code callsPerSecond}; on answer
 * the callee hears audio, runs an IVR scenario, or is connected to a queue's agents (predictively when
 * {@code predictive}). Numbers come as CSV ({@code POST /api/campaigns/{id}/numbers}); the results go out
 * as CSV ({@code GET /api/campaigns/{id}/results.csv}).
 */
public final class Campaigns {
    private Campaigns() {
    }

    /** A caller ID: what the routes see as the A-number. */
    public static final String CALLER_ID_PATTERN = "^\\+?[0-9]{1,32}$";

    public enum Status {
        /** Being prepared; never dialled. */
        DRAFT,
        /** Dialling whenever its schedule, the node's capacity and load allow. */
        RUNNING,
        /** No new calls until {@code campaign.resume}; calls in progress go on. */
        PAUSED,
        /** Stopped by a user; {@code campaign.start} takes it up again where it stopped. */
        STOPPED,
        /** Every number is done (answered, or out of retries). */
        FINISHED
    }

    /** What an answered call gets. */
    public enum OnAnswer {
        /** The audio files {@code audioFileIds}, {@code playTimes} times over, then hang up. */
        PLAY,
        /** IVR scenario {@code ivrId}, with the number's CSV columns as variables. */
        IVR,
        /** Queue {@code queueId}: the callee waits for the queue's agents like an inbound caller. */
        QUEUE
    }

    /**
     * The result of one call attempt (and a number's last result).
     * {@code ABANDONED}: answered in a predictive campaign with no agent within 2 s (it heard the
     * abandon message); {@code INTERRUPTED}: cut by a server stop; {@code DNC}: not called, on the
     * do-not-call list.
     */
    public enum Result { ANSWERED, BUSY, NO_ANSWER, FAILED, ABANDONED, INTERRUPTED, DNC }

    /** Up to {@code retries} more attempts after a result of one kind, each {@code minutes} after the last. */
    public record Retry(@Min(0) @Max(20) int retries, @Min(1) @Max(10_080) int minutes) {
    }

    /**
     * When a number is tried again: after a busy line, no answer, a failure. An attempt cut by a server
     * restart ({@code INTERRUPTED}) follows the {@code failed} rule; an abandoned call is not retried.
     */
    public record RetryPolicy(@NotNull @Valid Retry busy, @NotNull @Valid Retry noAnswer, @NotNull @Valid Retry failed) {
    }

    /**
     * When the campaign may call. {@code days}: ISO days (1 = Monday ... 7 = Sunday), empty every day;
     * {@code timeFrom}/{@code timeTo}: {@code HH:mm}, null all day, {@code timeTo} exclusive, before
     * {@code timeFrom} across midnight; {@code timeZone}: IANA, null the tenant's; {@code holidays}: no
     * calls on the tenant's holidays.
     */
    public record Schedule(@Size(max = 7) List<@NotNull @Min(1) @Max(7) Integer> days,
                           @Pattern(regexp = Routes.TIME_PATTERN, message = "must be HH:mm") String timeFrom,
                           @Pattern(regexp = Routes.TIME_PATTERN, message = "must be HH:mm") String timeTo,
                           @Size(max = 64) String timeZone,
                           Boolean holidays) {
    }

    /**
     * How far the campaign is. Counts of attempts: {@code dialled} started, and how they ended;
     * {@code numbers} in the list, {@code remaining} not done yet (to call, or to try again),
     * {@code inFlight} ringing or talking now.
     */
    public record Progress(long numbers, long dialled, long answered, long busy, long noAnswer, long failed, long abandoned,
                           long interrupted, long dnc, long remaining, int inFlight) {
    }

    /**
     * The predictive dialer's state: lines per free agent ({@code dialLevel}), the abandon rate over 30
     * days against the cap, the measured answer rate and handle time, and why the level last changed.
     */
    public record Pacing(double dialLevel, double abandonPercent, double maxAbandonPercent, long answered30d,
                         long abandoned30d, double answerPercent, double handleSeconds, int freeAgents, String reason,
                         Instant changedAt) {
    }

    /**
     * One campaign.
     *
     * @param audioFileIds     PLAY: tenant audio files played in order
     * @param playTimes        PLAY: how many times the files are played before hanging up
     * @param ivrId            IVR: the scenario
     * @param queueId          QUEUE: the queue whose agents take the answered calls
     * @param callerId         the A-number the routes see (and the callee, unless a route overrides it)
     * @param maxConcurrent    calls ringing or talking at once at most
     * @param callsPerSecond   new calls per second at most
     * @param ringTimeoutSeconds how long a call rings before it counts as not answered (15 s at least)
     * @param predictive       QUEUE: dial ahead of free agents (see {@link Pacing})
     * @param maxAbandonPercent predictive: the cap on abandoned live answers over 30 days
     * @param abandonAudioId   predictive: the message an abandoned callee hears (who called, a number to call back)
     * @param dialling         why a RUNNING campaign is not dialling now (outside its schedule, load), or null
     */
    public record Campaign(long id, long tenantId, String name, Status status, OnAnswer onAnswer, List<Long> audioFileIds,
                           int playTimes, Long ivrId, Long queueId, String callerId, int maxConcurrent, int callsPerSecond,
                           int ringTimeoutSeconds, RetryPolicy retry, Schedule schedule, boolean predictive,
                           double maxAbandonPercent, Long abandonAudioId, Progress progress, Pacing pacing, String dialling,
                           Instant createdAt, Instant updatedAt) {
    }

    /**
     * A new campaign, in {@code DRAFT}. Null fields take their defaults: the caller's tenant, played once,
     * 10 at once, 5 per second, ring 30 s, no retries, every day all day in the tenant's time zone with
     * holidays off, not predictive, 3 % abandon cap.
     */
    public record Create(@Positive Long tenantId,
                         @NotBlank @Size(max = 100) String name,
                         @NotNull OnAnswer onAnswer,
                         @Size(max = 20) List<@NotNull @Positive Long> audioFileIds,
                         @Min(1) @Max(20) Integer playTimes,
                         @Positive Long ivrId,
                         @Positive Long queueId,
                         @NotNull @Pattern(regexp = CALLER_ID_PATTERN, message = "must be digits with an optional leading +") String callerId,
                         @Min(1) @Max(1000) Integer maxConcurrent,
                         @Min(1) @Max(200) Integer callsPerSecond,
                         @Min(15) @Max(300) Integer ringTimeoutSeconds,
                         @Valid RetryPolicy retry,
                         @Valid Schedule schedule,
                         Boolean predictive,
                         @DecimalMin("0.0") @DecimalMax("100.0") Double maxAbandonPercent,
                         @Positive Long abandonAudioId) {
    }

    /** Partial update: a null field keeps its value; lists, {@code retry} and {@code schedule} replace when given. */
    public record Update(@NotNull @Positive Long id,
                         @Size(min = 1, max = 100) String name,
                         OnAnswer onAnswer,
                         @Size(max = 20) List<@NotNull @Positive Long> audioFileIds,
                         @Min(1) @Max(20) Integer playTimes,
                         @Positive Long ivrId,
                         @Positive Long queueId,
                         @Pattern(regexp = CALLER_ID_PATTERN, message = "must be digits with an optional leading +") String callerId,
                         @Min(1) @Max(1000) Integer maxConcurrent,
                         @Min(1) @Max(200) Integer callsPerSecond,
                         @Min(15) @Max(300) Integer ringTimeoutSeconds,
                         @Valid RetryPolicy retry,
                         @Valid Schedule schedule,
                         Boolean predictive,
                         @DecimalMin("0.0") @DecimalMax("100.0") Double maxAbandonPercent,
                         @Positive Long abandonAudioId) {

        /** An update of campaign {@code id} that changes nothing. */
        public static Update of(long id) {
            return new Update(id, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
        }

        /** This update with {@code schedule} replaced. */
        public Update withSchedule(Schedule schedule) {
            return new Update(id, name, onAnswer, audioFileIds, playTimes, ivrId, queueId, callerId, maxConcurrent, callsPerSecond,
                    ringTimeoutSeconds, retry, schedule, predictive, maxAbandonPercent, abandonAudioId);
        }
    }

    public record ListParams(@Positive Long tenantId, Status status) {
    }

    /** A line of an uploaded CSV that was not taken, and why (malformed, duplicate, on the do-not-call list). */
    public record Problem(int line, String number, String reason) {
    }

    /** What an upload did: data lines read, numbers added, lines skipped with their reasons. */
    public record Upload(int lines, int added, int malformed, int duplicates, int dnc, List<Problem> problems) {
    }

    /** {@code campaign.progress} (pushed at most once a second per campaign while it changes). */
    public record Live(long id, long tenantId, Status status, Progress progress, Pacing pacing, String dialling) {
    }

    // ---------------------------------------------------------------- do-not-call

    /** A number the tenant's campaigns never call. */
    public record DncEntry(long tenantId, String number, String note, Instant createdAt) {
    }

    public record DncAdd(@Positive Long tenantId,
                         @NotNull @Size(min = 1, max = 1000) List<@NotBlank @Size(max = 40) String> numbers,
                         @Size(max = 200) String note) {
    }

    public record DncRemove(@Positive Long tenantId, @NotNull @Size(min = 1, max = 1000) List<@NotBlank @Size(max = 40) String> numbers) {
    }

    /** {@code match}: a part of the number; paged by {@code offset} and {@code limit}. */
    public record DncList(@Positive Long tenantId, @Size(max = 40) String match, @Min(0) Integer offset,
                          @Min(1) @Max(1000) Integer limit) {
    }

    /** How many numbers a {@code dnc.add} or {@code dnc.remove} changed. */
    public record DncChanged(int changed) {
    }
}

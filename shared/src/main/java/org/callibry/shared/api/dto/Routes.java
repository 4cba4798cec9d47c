package org.callibry.shared.api.dto;

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
 * Call routes: which calls a route takes (regular expressions on the A- and B-number and host, days
 * and hours), how it rewrites the numbers and where it sends the call. Routes are evaluated by
 * {@code priority} (lower first, ties by id); the first match wins, and the next matching routes
 * follow it as fail-over targets while each target says {@code continueOnFailure}.
 *
 * <p>Masks are Java regular expressions that must match the whole value; an empty mask matches
 * anything. Rewrites are replacement strings using the mask's groups ({@code $1}, {@code ${name}}).
 */
public final class Routes {
    private Routes() {
    }

    /** A local time of day, {@code HH:mm} (24 h), or empty for "no time condition". */
    public static final String TIME_PATTERN = "^(([01][0-9]|2[0-3]):[0-5][0-9])?$";
    /** A caller ID override: a SIP user part, or empty for none. */
    public static final String CALLER_ID_PATTERN = "^[A-Za-z0-9._+*#-]{0,64}$";
    /** {@code route.import} modes. */
    public static final String APPEND = "append";
    public static final String REPLACE = "replace";

    /** Where a route sends the call. */
    public enum DestinationType {
        /** A registered account of the called domain; {@code destination} is empty. */
        LOCAL,
        /** A gateway or peer: {@code destination} is {@code host[:port][;transport=udp|tcp|tls]}. */
        GATEWAY,
        /** Media services of this system: {@code destination} names the queue, IVR, campaign or mailbox. */
        QUEUE, IVR, DIALER, VOICEMAIL, ECHO, MUSIC_ON_HOLD
    }

    /**
     * One route.
     *
     * @param priority           lower is evaluated first; ties by id
     * @param aHostMask          matches the From host or the address the request came from
     * @param bRewrite           replacement of the B-number using the B-number mask's groups; empty keeps it
     * @param aRewriteMask       when the A-number matches it, the A-number becomes {@code aRewrite}
     * @param maxDurationSeconds longest call, or null for no limit
     * @param callerId           caller ID presented instead of the A-number, or null
     * @param days               ISO days of the week (1 = Monday ... 7 = Sunday) the route is open; empty: every day
     * @param timeFrom           {@code HH:mm} the route opens in {@code timeZone}, or null for all day
     * @param timeTo             {@code HH:mm} it closes (exclusive); before {@code timeFrom} means across midnight
     * @param timeZone           IANA time zone of {@code days}, {@code timeFrom} and {@code timeTo}
     */
    public record Route(long id, String name, String group, int priority, boolean enabled,
                        String aNumberMask, String aHostMask, String bNumberMask, String bHostMask,
                        String bRewrite, String aRewriteMask, String aRewrite,
                        DestinationType destinationType, String destination,
                        boolean recordCall, boolean relayMedia, Integer maxDurationSeconds, boolean continueOnFailure,
                        String callerId, List<Integer> days, String timeFrom, String timeTo, String timeZone,
                        Instant createdAt, Instant updatedAt) {
    }

    /**
     * A new route. Null fields take their defaults: empty masks and rewrites, enabled, priority after
     * the last route, no recording, media relayed, no duration limit, every day, time zone UTC.
     */
    public record Create(@NotBlank @Size(max = 100) String name,
                         @Size(max = 100) String group,
                         @Min(0) @Max(1_000_000_000) Integer priority,
                         Boolean enabled,
                         @Size(max = 500) String aNumberMask,
                         @Size(max = 500) String aHostMask,
                         @Size(max = 500) String bNumberMask,
                         @Size(max = 500) String bHostMask,
                         @Size(max = 200) String bRewrite,
                         @Size(max = 500) String aRewriteMask,
                         @Size(max = 200) String aRewrite,
                         @NotNull DestinationType destinationType,
                         @Size(max = 255) String destination,
                         Boolean recordCall,
                         Boolean relayMedia,
                         @Min(0) @Max(604_800) Integer maxDurationSeconds,
                         Boolean continueOnFailure,
                         @Pattern(regexp = CALLER_ID_PATTERN, message = "must be up to 64 of A-Z a-z 0-9 . _ + * # -") String callerId,
                         @Size(max = 7) List<@NotNull @Min(1) @Max(7) Integer> days,
                         @Pattern(regexp = TIME_PATTERN, message = "must be HH:mm") String timeFrom,
                         @Pattern(regexp = TIME_PATTERN, message = "must be HH:mm") String timeTo,
                         @Size(max = 64) String timeZone) {

        /** A route with only the required fields; the others take their defaults. */
        public static Create of(String name, String bNumberMask, DestinationType type, String destination) {
            return new Create(name, null, null, null, null, null, bNumberMask, null, null, null, null, type, destination,
                    null, null, null, null, null, null, null, null, null);
        }
    }

    /**
     * Partial update: a null field keeps its value. An empty string clears a mask, rewrite, caller ID or
     * time; {@code maxDurationSeconds} 0 removes the limit; an empty {@code days} means every day.
     */
    public record Update(@NotNull @Positive Long id,
                         @Size(min = 1, max = 100) String name,
                         @Size(max = 100) String group,
                         @Min(0) @Max(1_000_000_000) Integer priority,
                         Boolean enabled,
                         @Size(max = 500) String aNumberMask,
                         @Size(max = 500) String aHostMask,
                         @Size(max = 500) String bNumberMask,
                         @Size(max = 500) String bHostMask,
                         @Size(max = 200) String bRewrite,
                         @Size(max = 500) String aRewriteMask,
                         @Size(max = 200) String aRewrite,
                         DestinationType destinationType,
                         @Size(max = 255) String destination,
                         Boolean recordCall,
                         Boolean relayMedia,
                         @Min(0) @Max(604_800) Integer maxDurationSeconds,
                         Boolean continueOnFailure,
                         @Pattern(regexp = CALLER_ID_PATTERN, message = "must be up to 64 of A-Z a-z 0-9 . _ + * # -") String callerId,
                         @Size(max = 7) List<@NotNull @Min(1) @Max(7) Integer> days,
                         @Pattern(regexp = TIME_PATTERN, message = "must be HH:mm") String timeFrom,
                         @Pattern(regexp = TIME_PATTERN, message = "must be HH:mm") String timeTo,
                         @Size(max = 64) String timeZone) {

        /** An update of route {@code id} that changes nothing (every field null). */
        public static Update of(long id) {
            return new Update(id, null, null, null, null, null, null, null, null, null, null, null, null, null,
                    null, null, null, null, null, null, null, null, null);
        }
    }

    /** {@code route.list}: {@code query} matches name, group, masks and destination; ordered by priority. */
    public record ListParams(@Size(max = 100) String query, @Size(max = 100) String group, Boolean enabled,
                             @Min(0) Integer offset, @Min(1) @Max(500) Integer limit) {
    }

    /** {@code route.reorder}: the routes in their new order; they get priorities 10, 20, 30, ... and any route not listed follows, in its old order. */
    public record Reorder(@NotNull @Size(min = 1, max = 100_000) List<@NotNull @Positive Long> ids) {
    }

    /** {@code route.test}: a call to route without placing it; {@code time} defaults to now. */
    public record TestCall(@Size(max = 255) String aNumber, @Size(max = 255) String aHost, @Size(max = 255) String sourceAddress,
                       @NotNull @Size(max = 255) String bNumber, @Size(max = 255) String bHost, Instant time) {
    }

    /** One target of a routing decision: the route, the numbers after its rewrites, where the call goes. */
    public record Target(long routeId, String routeName, int priority, String aNumber, String bNumber,
                         DestinationType destinationType, String destination, boolean recordCall, boolean relayMedia,
                         Integer maxDurationSeconds, boolean continueOnFailure, String callerId) {
    }

    /** A route that was looked at and did not take the call, and why (e.g. {@code disabled}, {@code outside its hours}). */
    public record Skipped(long routeId, String routeName, int priority, String reason) {
    }

    /**
     * The result of {@code route.test}: the targets in order (empty: the call would be refused) and,
     * for every route evaluated before the first match and between the fail-over targets, why it did not match.
     */
    public record TestResult(Instant time, List<Target> targets, List<Skipped> skipped) {
    }

    /** {@code route.import}: CSV text as {@code route.export} writes it; {@code mode} {@code append} (default) or {@code replace}. */
    public record Import(@NotNull @Size(max = 20_000_000) String csv,
                         @Pattern(regexp = "^(append|replace)$", message = "must be append or replace") String mode) {
    }

    /** What an import did: routes created, and routes deleted first (replace mode). */
    public record ImportResult(int imported, int deleted) {
    }
}

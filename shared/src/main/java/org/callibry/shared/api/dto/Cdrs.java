package org.callibry.shared.api.dto;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;

/** Call detail records: one per call attempt through the proxy, searchable and exportable as CSV. */
public final class Cdrs {
    private Cdrs() {
    }

    /** How a call attempt ended. */
    public enum Disposition { ANSWERED, BUSY, NO_ANSWER, FAILED, CANCELLED }

    /** How {@code from} and {@code to} compare with the numbers (always case-insensitive). */
    public enum Match {
        /** The number starts with the value (the default; served by an index). */
        PREFIX,
        /** The number contains the value anywhere (scans the rows the other filters leave). */
        SUBSTRING,
        /** The number is the value. */
        EXACT
    }

    /**
     * One call attempt.
     *
     * @param id            the record's id (a time-ordered UUID)
     * @param callId        SIP Call-ID
     * @param aNumber       caller as received
     * @param bNumber       called number as received
     * @param aNumberRouted caller after the route's rewrite, or null
     * @param bNumberRouted called number after the rewrite, or null
     * @param source        where the request came from ({@code ip:port})
     * @param destination   the last target tried, or null
     * @param routeName     the route used, or null when none matched
     * @param tenantId      the tenant the call belongs to, or null
     * @param durationMs    answered to ended; 0 when not answered
     * @param sipCode       final response code (200 for answered calls)
     * @param reason        a short human reason
     * @param createdAt     when the record was stored
     * @param recordingId   the call's recording ({@code recording.get}, {@code GET /api/recordings/{id}.mp3}), or null
     */
    public record Cdr(String id, String callId, String aNumber, String bNumber, String aNumberRouted,
                      String bNumberRouted, String source, String destination, String routeName, Long tenantId,
                      Instant startedAt, Instant answeredAt, Instant endedAt, long durationMs,
                      Disposition disposition, int sipCode, String reason, Instant createdAt, Long recordingId) {
    }

    /**
     * What to look for; every field is optional and they combine with "and". Also the query
     * parameters of {@code GET /api/cdr.csv}.
     *
     * @param from        A-number (caller), compared as {@code match} says
     * @param to          B-number (called), compared as {@code match} says
     * @param match       how {@code from} and {@code to} compare; PREFIX when absent
     * @param timeFrom    calls started at or after this instant
     * @param timeTo      calls started before this instant
     * @param disposition only calls that ended this way
     * @param route       only calls through this route (name, case-insensitive)
     * @param tenantId    only this tenant's calls (a tenant-bound caller gets its own tenant anyway)
     */
    public record Filter(@Size(max = 64) String from, @Size(max = 64) String to, Match match, Instant timeFrom,
                         Instant timeTo, Disposition disposition, @Size(max = 100) String route,
                         @Positive Long tenantId) {

        /** No filter: every call the caller may see. */
        public static Filter none() {
            return new Filter(null, null, null, null, null, null, null, null);
        }
    }

    /**
     * One page of {@code cdr.search}, newest first. Counting every match of a broad search over
     * millions of calls would cost more than the search, so matches are counted up to the server's
     * {@code callibry.cdr.count-limit} (10,000).
     *
     * @param total      the number of matches, or the count limit when more match
     * @param totalExact false when more calls match than {@code total} says
     */
    public record SearchResult(List<Cdr> items, long total, boolean totalExact, int offset, int limit) {
    }

    /** {@code cdr.search}: a {@link Filter} and a page; most recent calls first. */
    public record SearchParams(@Size(max = 64) String from, @Size(max = 64) String to, Match match, Instant timeFrom,
                               Instant timeTo, Disposition disposition, @Size(max = 100) String route,
                               @Positive Long tenantId, @Min(0) Integer offset, @Min(1) @Max(500) Integer limit) {

        /** The page {@code offset}/{@code limit} of the calls matching {@code filter}. */
        public static SearchParams of(Filter filter, Integer offset, Integer limit) {
            return new SearchParams(filter.from(), filter.to(), filter.match(), filter.timeFrom(), filter.timeTo(),
                    filter.disposition(), filter.route(), filter.tenantId(), offset, limit);
        }

        public Filter filter() {
            return new Filter(from, to, match, timeFrom, timeTo, disposition, route, tenantId);
        }
    }
}

package org.callibry.server.cdr.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.callibry.server.calls.CallEnded;
import org.callibry.server.storage.SpooledWriter;
import org.callibry.server.calls.CallEnded.Disposition;

/**
 * One row of {@code cdr} as the writer queues, spools (one JSON line each) and inserts it. Built from
 * a {@link CallEnded} with every value made storable, so a record the proxy filled in badly
 * cannot block the batch it travels in.
 */
record CdrRecord(UUID id, String callId, String aNumber, String bNumber, String aNumberRouted, String bNumberRouted,
                 String source, String destination, String routeName, Long tenantId, Instant startedAt,
                 Instant answeredAt, Instant endedAt, long durationMs, Disposition disposition, int sipCode,
                 String reason) {

    /** Longest text kept in a column; SIP headers are bounded, this keeps a broken peer from filling the table. */
    static final int MAX_TEXT = 1000;

    /**
     * The record of {@code event}: missing times filled from the others ({@code now} at last), duration
     * from answer to end (0 when not answered), NUL characters (which PostgreSQL refuses) removed.
     */
    static CdrRecord of(CallEnded event, Instant now) {
        Instant ended = event.endedAt() != null ? event.endedAt() : now;
        Instant started = event.startedAt() != null ? event.startedAt() : ended;
        Instant answered = event.answeredAt();
        long duration = answered == null ? 0 : Math.max(0, Duration.between(answered, ended).toMillis());
        return new CdrRecord(timeOrderedId(started), text(event.callId(), ""), text(event.aNumber(), ""),
                text(event.bNumber(), ""), text(event.aNumberRouted(), null), text(event.bNumberRouted(), null),
                text(event.source(), null), text(event.destination(), null), text(event.routeName(), null),
                event.tenantId(), started, answered, ended, duration,
                event.disposition() == null ? Disposition.FAILED : event.disposition(), event.sipCode(),
                text(event.reason(), ""));
    }

    private static String text(String value, String absent) {
        if (value == null) {
            return absent;
        }
        String clean = value.indexOf('\0') < 0 ? value : value.replace("\0", "");
        return clean.length() <= MAX_TEXT ? clean : clean.substring(0, MAX_TEXT);
    }

    /** A time-ordered id ({@link SpooledWriter#timeOrderedId}). */
    static UUID timeOrderedId(Instant time) {
        return SpooledWriter.timeOrderedId(time);
    }
}

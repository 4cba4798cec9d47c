package org.callibry.server.cdr.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;
import org.callibry.server.calls.CallEnded;
import org.callibry.server.calls.CallEnded.Disposition;
import org.junit.jupiter.api.Test;

/**
 * A record from an event: duration from answer to end (0 unanswered, never negative), gaps the
 * proxy left filled, text made storable; ids are RFC 9562 version 7 UUIDs ordered by time.
 */
class CdrRecordTest {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    private static CallEnded event(Instant started, Instant answered, Instant ended, Disposition d) {
        return new CallEnded("call-1@host", "1001", "1002", "1001", "1002", "192.0.2.1:5060", "sip:1002@192.0.2.2",
                "local", 7L, started, answered, ended, d, 200, "BYE from callee");
    }

    @Test
    void durationRunsFromAnswerToEnd() {
        CdrRecord r = CdrRecord.of(event(T0, T0.plusSeconds(5), T0.plusSeconds(65).plusMillis(250), Disposition.ANSWERED), NOW);
        assertThat(r.durationMs()).isEqualTo(60_250);
        assertThat(r.startedAt()).isEqualTo(T0);
        assertThat(r.tenantId()).isEqualTo(7L);
    }

    @Test
    void unansweredCallsLastZero() {
        assertThat(CdrRecord.of(event(T0, null, T0.plusSeconds(30), Disposition.NO_ANSWER), NOW).durationMs()).isZero();
        assertThat(CdrRecord.of(event(T0, T0.plusSeconds(9), T0.plusSeconds(5), Disposition.ANSWERED), NOW).durationMs())
                .as("clock step backwards").isZero();
    }

    @Test
    void missingValuesAreFilledSoTheRowIsStorable() {
        CallEnded sparse = new CallEnded(null, null, null, null, null, null, null, null, null, null, null, null,
                null, 0, null);
        CdrRecord r = CdrRecord.of(sparse, NOW);
        assertThat(r.endedAt()).isEqualTo(NOW);
        assertThat(r.startedAt()).isEqualTo(NOW);
        assertThat(r.callId()).isEmpty();
        assertThat(r.aNumber()).isEmpty();
        assertThat(r.bNumber()).isEmpty();
        assertThat(r.reason()).isEmpty();
        assertThat(r.routeName()).isNull();
        assertThat(r.disposition()).isEqualTo(Disposition.FAILED);
    }

    @Test
    void nulCharactersAreRemovedAndLongTextCut() {
        CallEnded e = new CallEnded("c", "10\u000001", "2", null, null, null, null, null, null, T0, null, T0,
                Disposition.FAILED, 500, "x".repeat(5000));
        CdrRecord r = CdrRecord.of(e, NOW);
        assertThat(r.aNumber()).isEqualTo("1001");
        assertThat(r.reason()).hasSize(CdrRecord.MAX_TEXT);
    }

    @Test
    void idsAreVersion7UuidsThatSortByTime() {
        UUID early = CdrRecord.timeOrderedId(T0);
        UUID late = CdrRecord.timeOrderedId(T0.plusMillis(1));
        assertThat(early.version()).isEqualTo(7);
        assertThat(early.variant()).isEqualTo(2);
        assertThat(early.getMostSignificantBits() >>> 16).isEqualTo(T0.toEpochMilli());
        assertThat(early.toString()).isLessThan(late.toString());
        assertThat(CdrRecord.timeOrderedId(T0)).isNotEqualTo(CdrRecord.timeOrderedId(T0));
    }
}

package org.callibry.server.cdr.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.callibry.server.calls.CallEnded;
import org.callibry.server.calls.CallOutcome;
import org.junit.jupiter.api.Test;

/** A media application's outcome joins the record of the caller's leg to it, whichever comes first. */
class CdrOutcomesTest {
    private final List<CdrRecord> written = new CopyOnWriteArrayList<>();

    private static CdrRecord leg(String callId, String destination) {
        Instant t = Instant.parse("2026-12-06T10:00:00Z");
        return CdrRecord.of(new CallEnded(callId, "8001", "500", "8001", "500", "127.0.0.1:5061", destination, "queue 500", 1L,
                t, t.plusSeconds(1), t.plusSeconds(60), CallEnded.Disposition.ANSWERED, 200, "BYE from callee"), t);
    }

    @Test
    void theOutcomeAfterTheRecordReplacesDispositionAndReason() {
        try (CdrOutcomes o = new CdrOutcomes(written::add)) {
            o.record(leg("c1", "sip:500@127.0.0.1:5070;svc=queue;name=7"));
            assertThat(written).as("held for its outcome").isEmpty();
            o.outcome(new CallOutcome("c1", CallEnded.Disposition.CANCELLED, "abandoned after 12 s", Instant.now()));
            assertThat(written).singleElement().satisfies(r -> {
                assertThat(r.disposition()).isEqualTo(CallEnded.Disposition.CANCELLED);
                assertThat(r.reason()).isEqualTo("abandoned after 12 s");
                assertThat(r.answeredAt()).isNotNull();
            });
        }
    }

    @Test
    void theOutcomeBeforeTheRecordIsKeptForIt() {
        try (CdrOutcomes o = new CdrOutcomes(written::add)) {
            o.outcome(new CallOutcome("c2", CallEnded.Disposition.ANSWERED, "answered by agent 1003", Instant.now()));
            o.record(leg("c2", "sip:500@127.0.0.1:5070;svc=queue;name=7"));
            assertThat(written).singleElement().satisfies(r -> assertThat(r.reason()).isEqualTo("answered by agent 1003"));
        }
    }

    @Test
    void otherRecordsPassAndHeldOnesGoOnClose() {
        CdrOutcomes o = new CdrOutcomes(written::add);
        o.record(leg("c3", "sip:1003@127.0.0.1:5062"));
        assertThat(written).hasSize(1);
        o.record(leg("c4", "sip:500@127.0.0.1:5070;svc=queue;name=7"));
        o.close();
        assertThat(written).hasSize(2);
        assertThat(written.get(1).reason()).isEqualTo("BYE from callee");
    }
}

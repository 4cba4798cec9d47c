package org.callibry.softphone.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.callibry.shared.api.dto.Agents;
import org.callibry.shared.api.dto.Notification;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The operator's own status among the tenant's pushes. Scenarios: by number until the server named
 * the account, then by account id; other notifications are not statuses; a push as the server writes
 * it (ISO instants, fields this phone does not know); an answer the push overtook does not win.
 */
class OwnStatusTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static Notification push(long accountId, String number, String status, String state, String changedAt) {
        return new Notification("agent.statusChanged", JSON.readTree("""
                {"accountId":%d,"tenantId":1,"number":"%s","status":"%s","reason":"","changedAt":"%s",
                 "state":"%s","stateSince":"%s","callId":null,"queueId":null,"wrapUpEndsAt":null,"futureField":1}
                """.formatted(accountId, number, status, changedAt, state, changedAt)));
    }

    @Test
    void theOperatorsNumberUntilTheServerNamedTheAccountThenItsId() {
        OwnStatus own = new OwnStatus("1001");
        assertThat(own.of(push(12, "1002", "FREE", "BUSY", "2026-12-07T10:00:00Z"))).isEmpty();
        assertThat(own.of(push(11, "1001", "FREE", "BUSY", "2026-12-07T10:00:01Z"))).get()
                .extracting(Agents.AgentStatus::state).isEqualTo(Agents.State.BUSY);
        // the account is now known by its id: its number may change, another account's may become 1001
        assertThat(own.of(push(11, "2001", "FREE", "WRAP_UP", "2026-12-07T10:00:02Z"))).isPresent();
        assertThat(own.of(push(13, "1001", "FREE", "RINGING", "2026-12-07T10:00:03Z"))).isEmpty();
        assertThat(own.latest()).get().extracting(Agents.AgentStatus::state).isEqualTo(Agents.State.WRAP_UP);
    }

    @Test
    void theAccountTheServerAnsweredWithIsFollowed() {
        OwnStatus own = new OwnStatus("1001");
        own.known(new Agents.AgentStatus(21, 1, "3001", Agents.Status.FREE, "", Instant.parse("2026-12-07T09:00:00Z")));
        assertThat(own.of(push(21, "3001", "PAUSED", "PAUSED", "2026-12-07T10:00:00Z"))).isPresent();
        assertThat(own.of(push(11, "1001", "FREE", "FREE", "2026-12-07T10:00:01Z"))).isEmpty();
    }

    @Test
    void otherNotificationsAreNotStatuses() {
        OwnStatus own = new OwnStatus("1001");
        assertThat(own.of(new Notification("call.offered", JSON.readTree("{\"accountId\":11}")))).isEmpty();
        assertThat(own.of(new Notification("agent.statusChanged", null))).isEmpty();
    }

    @Test
    void anAnswerThePushOvertookDoesNotWin() {
        OwnStatus own = new OwnStatus("1001");
        own.of(push(11, "1001", "FREE", "RINGING", "2026-12-07T10:00:05Z"));
        boolean kept = own.known(new Agents.AgentStatus(11, 1, "1001", Agents.Status.FREE, "", Instant.parse("2026-12-07T10:00:00Z"),
                Agents.State.FREE, Instant.parse("2026-12-07T10:00:00Z"), null, null, null));
        assertThat(kept).isFalse();
        assertThat(own.latest()).get().extracting(Agents.AgentStatus::state).isEqualTo(Agents.State.RINGING);
    }
}

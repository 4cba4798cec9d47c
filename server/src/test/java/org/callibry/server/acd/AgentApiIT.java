package org.callibry.server.acd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.callibry.server.api.ApiTestSupport;
import org.callibry.shared.api.ErrorCodes;
import org.callibry.shared.api.client.CallibryClient;
import org.callibry.shared.api.client.RpcErrorException;
import org.callibry.shared.api.dto.Agents;
import org.junit.jupiter.api.Test;

/**
 * Operator status: an operator sets and reads its own (free, unavailable with a reason), a supervisor
 * lists its tenant's and may set one, another tenant sees nothing, bad input names the field.
 */
class AgentApiIT extends ApiTestSupport {

    @Test
    void anOperatorSetsItsOwnStatusAndTheSupervisorSeesIt() {
        Fixture f = fixture();
        CallibryClient operator = as(f.operator());
        Agents.AgentStatus away = operator.setAgentStatus(new Agents.SetStatus(Agents.Status.UNAVAILABLE, " lunch ", null));
        assertThat(away.accountId()).isEqualTo(f.account().id());
        assertThat(away.status()).isEqualTo(Agents.Status.UNAVAILABLE);
        assertThat(away.reason()).isEqualTo("lunch");
        assertThat(operator.agentStatus(null).reason()).isEqualTo("lunch");

        Agents.AgentStatus free = operator.setAgentStatus(new Agents.SetStatus(Agents.Status.FREE, "ignored", null));
        assertThat(free.reason()).isEmpty();
        assertThat(as(f.supervisor()).agentStatuses(null)).singleElement()
                .satisfies(s -> assertThat(s.status()).isEqualTo(Agents.Status.FREE));
        assertThat(as(f.supervisor()).setAgentStatus(new Agents.SetStatus(Agents.Status.UNAVAILABLE, "meeting", f.account().id()))
                .reason()).isEqualTo("meeting");
    }

    @Test
    void tenantsAndRolesAreKeptApart() {
        Fixture mine = fixture();
        Fixture other = fixture();
        as(mine.operator()).setAgentStatus(new Agents.SetStatus(Agents.Status.FREE, null, null));
        assertThat(as(other.supervisor()).agentStatuses(null)).isEmpty();
        assertThatThrownBy(() -> as(other.supervisor()).agentStatus(mine.account().id()))
                .isInstanceOfSatisfying(RpcErrorException.class, e -> assertThat(e.code()).isEqualTo(ErrorCodes.NOT_FOUND));
        assertThatThrownBy(() -> as(mine.operator()).setAgentStatus(new Agents.SetStatus(Agents.Status.FREE, null, other.account().id())))
                .isInstanceOfSatisfying(RpcErrorException.class, e -> assertThat(e.getMessage()).contains("accountId"));
        assertThatThrownBy(() -> as(mine.customer()).setAgentStatus(new Agents.SetStatus(Agents.Status.FREE, null, null)))
                .isInstanceOf(RpcErrorException.class);
    }

    @Test
    void aMissingStatusIsRefusedNamingTheField() {
        Fixture f = fixture();
        assertThatThrownBy(() -> as(f.operator()).setAgentStatus(new Agents.SetStatus(null, null, null)))
                .isInstanceOfSatisfying(RpcErrorException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCodes.INVALID_PARAMS);
                    assertThat(e.getMessage()).contains("status");
                });
    }
}

package org.callibry.server.acd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.callibry.server.api.ApiTestSupport;
import org.callibry.shared.api.ErrorCodes;
import org.callibry.shared.api.client.CallibryClient;
import org.callibry.shared.api.client.RpcErrorException;
import org.callibry.shared.api.dto.Accounts;
import org.callibry.shared.api.dto.Agents;
import org.callibry.shared.api.dto.Queues;
import org.junit.jupiter.api.Test;

/**
 * Roles and tenants on the queue API: a customer or supervisor manages its own tenant's queues, an
 * operator reads only the queues it is a member of, another tenant sees nothing; bad input names its
 * field; an agent's status takes PAUSED with a reason.
 */
class QueueApiIT extends ApiTestSupport {

    @Test
    void eachRoleSeesWhatItMay() {
        Fixture mine = fixture();
        Fixture other = fixture();
        CallibryClient customer = as(mine.customer());
        Accounts.Account second = admin().accounts().create(new Accounts.Create(mine.domain().id(), "2002", "Second", PASSWORD, null));
        Queues.Queue withOperator = customer.queues().create(Queues.Create.of(null, "500", "Support", Queues.Strategy.ROUND_ROBIN,
                List.of(new Queues.Member(mine.account().id(), 0))));
        Queues.Queue without = customer.queues().create(Queues.Create.of(null, "501", "Sales", null,
                List.of(new Queues.Member(second.id(), 1))));
        assertThat(withOperator.tenantId()).as("the customer's own tenant").isEqualTo(mine.tenant().id());
        assertThat(without.strategy()).as("the default strategy").isEqualTo(Queues.Strategy.RING_ALL);
        assertThat(without.ringTimeoutSeconds()).isEqualTo(20);

        CallibryClient operator = as(mine.operator());
        assertThat(operator.queues().list(new Queues.ListParams(null)).items()).extracting(Queues.Queue::id)
                .containsExactly(withOperator.id());
        assertThatThrownBy(() -> operator.queues().get(without.id())).isInstanceOf(RpcErrorException.class)
                .extracting(e -> ((RpcErrorException) e).code()).isEqualTo(ErrorCodes.NOT_FOUND);
        assertThatThrownBy(() -> operator.queues().create(Queues.Create.of(null, "502", "Mine", null, List.of())))
                .isInstanceOf(RpcErrorException.class);

        CallibryClient stranger = as(other.supervisor());
        assertThat(stranger.queues().list(new Queues.ListParams(null)).items()).isEmpty();
        assertThatThrownBy(() -> stranger.queues().get(withOperator.id())).isInstanceOf(RpcErrorException.class)
                .extracting(e -> ((RpcErrorException) e).code()).isEqualTo(ErrorCodes.NOT_FOUND);
        assertThatThrownBy(() -> stranger.queues().create(Queues.Create.of(null, "503", "Theirs", null,
                List.of(new Queues.Member(mine.account().id(), 0))))).isInstanceOf(RpcErrorException.class)
                .hasMessageContaining("members");
        assertThatThrownBy(() -> stranger.queueWaiting(withOperator.id())).isInstanceOf(RpcErrorException.class);

        CallibryClient supervisor = as(mine.supervisor());
        Queues.Queue changed = supervisor.queues().update(new Queues.Update(without.id(), null, "Sales team", null, null, null,
                null, null, new Queues.Overflow(Queues.OverflowKind.QUEUE, Long.toString(withOperator.id())), null, null, null,
                null, "ru", null, null, null, null, null, null, null, null, null, null, null, null, null));
        assertThat(changed.name()).isEqualTo("Sales team");
        assertThat(changed.language()).isEqualTo("ru");
        assertThat(changed.overflowOnTimeout().target()).isEqualTo(Long.toString(withOperator.id()));
        Queues.Queue cleared = supervisor.queues().update(new Queues.Update(without.id(), null, null, null, null, null, null, null,
                null, null, null, List.of("onTimeout"), null, null, null, null, null, null, null, null, null, null, null, null, null, null, null));
        assertThat(cleared.overflowOnTimeout()).isNull();
        supervisor.queues().delete(without.id());
        assertThat(supervisor.queues().list(new Queues.ListParams(null)).items()).extracting(Queues.Queue::id)
                .containsExactly(withOperator.id());
    }

    @Test
    void badInputNamesTheField() {
        Fixture f = fixture();
        CallibryClient customer = as(f.customer());
        Queues.Queue q = customer.queues().create(Queues.Create.of(null, "600", "Q", null, List.of()));
        assertThatThrownBy(() -> customer.queues().update(new Queues.Update(q.id(), null, null, null, null, null, null, null,
                new Queues.Overflow(Queues.OverflowKind.QUEUE, Long.toString(q.id())), null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null))).hasMessageContaining("overflowOnTimeout")
                .hasMessageContaining("itself");
        assertThatThrownBy(() -> customer.queues().create(Queues.Create.of(null, "60x", "Q", null, List.of())))
                .hasMessageContaining("number");
        assertThatThrownBy(() -> customer.queues().create(new Queues.Create(null, "601", "Q", null, null, List.of(999_999L), null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null)))
                .hasMessageContaining("musicOnHold");
        assertThatThrownBy(() -> customer.queues().create(new Queues.Create(null, "602", "Q", null, null, null, null, null, null,
                new Queues.Overflow(Queues.OverflowKind.NUMBER, "abc"), null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null))).hasMessageContaining("overflowWhenFull");
        assertThatThrownBy(() -> customer.queues().create(new Queues.Create(null, "603", "Q", null, null, null, null, null, null,
                null, null, null, "de", null, null, null, null, null, null, null, null, null, null, null, null, null))).hasMessageContaining("language");
    }

    @Test
    void anOperatorPausesWithAReasonAndSeesItsLiveState() {
        Fixture f = fixture();
        CallibryClient operator = as(f.operator());
        Agents.AgentStatus paused = operator.setAgentStatus(new Agents.SetStatus(Agents.Status.PAUSED, " lunch ", null));
        assertThat(paused.status()).isEqualTo(Agents.Status.PAUSED);
        assertThat(paused.reason()).isEqualTo("lunch");
        assertThat(paused.state()).as("not registered").isEqualTo(Agents.State.OFFLINE);
        List<Agents.AgentStatus> list = as(f.supervisor()).agentStatuses(null);
        assertThat(list).singleElement().satisfies(a -> {
            assertThat(a.accountId()).isEqualTo(f.account().id());
            assertThat(a.status()).isEqualTo(Agents.Status.PAUSED);
            assertThat(a.stateSince()).isNotNull();
        });
    }

    @Test
    void theDemoHasItsQueuesAndUsers() {
        CallibryClient operator = anonymous();
        operator.login("operator1003", DEMO_PASSWORD);
        List<Queues.Queue> mine = operator.queues().list(new Queues.ListParams(null)).items();
        assertThat(mine).singleElement().satisfies(q -> {
            assertThat(q.number()).isEqualTo("500");
            assertThat(q.name()).isEqualTo("Support");
            assertThat(q.strategy()).isEqualTo(Queues.Strategy.ROUND_ROBIN);
            assertThat(q.wrapUpSeconds()).isEqualTo(5);
            assertThat(q.callbackDigit()).isEqualTo("1");
            assertThat(q.overflowOnTimeout()).isNull();
            assertThat(q.members()).hasSize(2);
        });
        CallibryClient supervisor = anonymous();
        supervisor.login("supervisor", DEMO_PASSWORD);
        assertThat(supervisor.queues().list(new Queues.ListParams(null)).items()).extracting(Queues.Queue::number)
                .contains("500", "501");
        Queues.Queue sales = supervisor.queues().list(new Queues.ListParams(null)).items().stream()
                .filter(q -> q.number().equals("501")).findFirst().orElseThrow();
        assertThat(sales.strategy()).isEqualTo(Queues.Strategy.RING_ALL);
    }

    @Test
    void callerInfoShowsTheContactAndLastCalls() {
        Fixture f = fixture();
        as(f.customer()).contacts().create(new org.callibry.shared.api.dto.Contacts.Create(null, "Ivan Petrov", "+74950001122",
                null, "Acme", null));
        org.callibry.shared.api.dto.Calls.CallerInfo info = as(f.operator()).callerInfo("+74950001122");
        assertThat(info.contact()).isNotNull();
        assertThat(info.contact().name()).isEqualTo("Ivan Petrov");
        assertThat(info.lastCalls()).isEmpty();
        assertThat(as(f.operator()).callerInfo("+70000000000").contact()).isNull();
        assertThatThrownBy(() -> as(f.operator()).callerInfo(" ")).hasMessageContaining("number");
    }

    @Test
    void aDeletedAccountLeavesItsQueuesAndTheAgentList() throws Exception {
        Fixture f = fixture();
        Accounts.Account gone = admin().accounts().create(new Accounts.Create(f.domain().id(), "2009", "Leaver", PASSWORD, null));
        CallibryClient supervisor = as(f.supervisor());
        Queues.Queue q = supervisor.queues().create(Queues.Create.of(null, "700", "Q", null,
                List.of(new Queues.Member(f.account().id(), 0), new Queues.Member(gone.id(), 0))));
        assertThat(supervisor.agentStatuses(null)).extracting(Agents.AgentStatus::number).containsExactly("2001", "2009");
        admin().accounts().delete(gone.id());
        long deadline = System.currentTimeMillis() + 10_000;
        while (supervisor.agentStatuses(null).size() > 1 && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertThat(supervisor.agentStatuses(null)).extracting(Agents.AgentStatus::number).containsExactly("2001");
        assertThat(supervisor.queues().get(q.id()).members()).containsExactly(new Queues.Member(f.account().id(), 0));
    }
}

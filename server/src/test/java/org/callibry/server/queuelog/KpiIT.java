package org.callibry.server.queuelog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.callibry.server.acd.QueueEvent;
import org.callibry.server.api.ApiTestSupport;
import org.callibry.shared.api.client.CallibryClient;
import org.callibry.shared.api.dto.Agents;
import org.callibry.shared.api.dto.Kpis;
import org.callibry.shared.api.dto.Queues;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;

/**
 * KPIs equal hand-computed values: a scripted day of queue events (two answered calls, one inside and one
 * outside the service level, a short and a long abandon, a callback request) and an agent's states are
 * published as the ACD would, written by the queue log, and {@code kpi.queues} / {@code kpi.agents} give
 * exactly the numbers worked out below. Another tenant sees none of them.
 */
class KpiIT extends ApiTestSupport {
    private static final Instant T0 = Instant.parse("2025-01-15T10:00:00Z");

    @Autowired
    ApplicationEventPublisher events;

    @Test
    void kpisEqualHandComputedValues() throws Exception {
        QueueLogScript script = new QueueLogScript(events, T0);
        Fixture f = fixture();
        CallibryClient supervisor = as(f.supervisor());
        Queues.Queue q = supervisor.queues().create(new Queues.Create(null, "900", "KPI", Queues.Strategy.LINEAR,
                List.of(new Queues.Member(f.account().id(), 0)), null, null, null, null, null, null, null, "en", 10, null, 20, null,
                null, null, null, null, null, null, null, null, null));
        long tenant = f.tenant().id();
        long account = f.account().id();
        long agent = 424242;
        // e1: answered after 10 s (within the 20 s service level), talked 60 s
        script.event(QueueEvent.Type.ENTERED, "e1", tenant, q.id(), null, null, 0, 0);
        script.event(QueueEvent.Type.OFFERED, "e1", tenant, q.id(), agent, account, 5, 5);
        script.event(QueueEvent.Type.ANSWERED, "e1", tenant, q.id(), agent, account, 10, 10);
        script.event(QueueEvent.Type.ENDED, "e1", tenant, q.id(), agent, account, 70, 10);
        // e2: answered after 30 s (outside), talked 30 s
        script.event(QueueEvent.Type.ENTERED, "e2", tenant, q.id(), null, null, 100, 0);
        script.event(QueueEvent.Type.ANSWERED, "e2", tenant, q.id(), agent, account, 130, 30);
        script.event(QueueEvent.Type.ENDED, "e2", tenant, q.id(), agent, account, 160, 30);
        // e3: abandoned after 3 s (short), e4 after 40 s, e5 asked for a callback after 15 s
        script.event(QueueEvent.Type.ENTERED, "e3", tenant, q.id(), null, null, 200, 0);
        script.event(QueueEvent.Type.ABANDONED, "e3", tenant, q.id(), null, null, 203, 3);
        script.event(QueueEvent.Type.ENTERED, "e4", tenant, q.id(), null, null, 300, 0);
        script.event(QueueEvent.Type.ABANDONED, "e4", tenant, q.id(), null, null, 340, 40);
        script.event(QueueEvent.Type.ENTERED, "e5", tenant, q.id(), null, null, 400, 0);
        script.event(QueueEvent.Type.CALLBACK_REQUESTED, "e5", tenant, q.id(), null, null, 415, 15);
        // the agent: free from an hour before, ringing, busy, wrap-up, ..., paused for lunch 300 s
        script.state(agent, tenant, account, Agents.State.FREE, null, -3600);
        script.state(agent, tenant, account, Agents.State.RINGING, null, 5);
        script.state(agent, tenant, account, Agents.State.BUSY, null, 10);
        script.state(agent, tenant, account, Agents.State.WRAP_UP, null, 70);
        script.state(agent, tenant, account, Agents.State.FREE, null, 80);
        script.state(agent, tenant, account, Agents.State.BUSY, null, 130);
        script.state(agent, tenant, account, Agents.State.WRAP_UP, null, 160);
        script.state(agent, tenant, account, Agents.State.PAUSED, "lunch", 170);
        script.state(agent, tenant, account, Agents.State.FREE, null, 470);

        Instant to = T0.plusSeconds(600);
        List<Kpis.QueueKpi> queues = List.of();
        long deadline = System.currentTimeMillis() + 10_000;
        while ((queues.isEmpty() || queues.getFirst().offered() < 5) && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            queues = supervisor.queueKpis(new Kpis.QueueParams(T0, to, null, null));
        }
        assertThat(queues).singleElement().satisfies(k -> {
            assertThat(k.queue()).isEqualTo("KPI");
            assertThat(k.offered()).isEqualTo(5);
            assertThat(k.answered()).isEqualTo(2);
            assertThat(k.abandoned()).isEqualTo(1);
            assertThat(k.shortAbandoned()).isEqualTo(1);
            assertThat(k.answeredWithinServiceLevel()).isEqualTo(1);
            assertThat(k.serviceLevelPct()).isCloseTo(25.0, within(1e-9)); // 1 / (5 - 1)
            assertThat(k.asa()).isCloseTo(20.0, within(1e-9)); // (10 + 30) / 2
            assertThat(k.avgWait()).isCloseTo(19.6, within(1e-9)); // (10 + 30 + 3 + 40 + 15) / 5
            assertThat(k.maxWait()).isEqualTo(40);
            assertThat(k.avgTalk()).isCloseTo(45.0, within(1e-9));
            assertThat(k.maxTalk()).isEqualTo(60);
            assertThat(k.aht()).isCloseTo(55.0, within(1e-9)); // talk + the queue's 10 s wrap-up
            assertThat(k.answeredRatio()).isCloseTo(0.4, within(1e-9));
        });

        List<Kpis.AgentKpi> agents = supervisor.agentKpis(new Kpis.AgentParams(T0, to, null, null));
        assertThat(agents).singleElement().satisfies(k -> {
            assertThat(k.agent()).isEqualTo(f.account().number());
            assertThat(k.offered()).isEqualTo(1);
            assertThat(k.answered()).isEqualTo(2);
            assertThat(k.missed()).isZero();
            assertThat(k.talkSeconds()).isEqualTo(90);
            assertThat(k.wrapUpSeconds()).isEqualTo(20);
            assertThat(k.loggedInSeconds()).isEqualTo(600);
            assertThat(k.occupancy()).isCloseTo(110.0 / 600, within(1e-9));
            assertThat(k.aht()).isCloseTo(55.0, within(1e-9));
            assertThat(k.pauseSeconds()).isEqualTo(Map.of("lunch", 300L));
        });

        List<Kpis.QueueKpi> others = as(fixture().supervisor()).queueKpis(new Kpis.QueueParams(T0, to, null, null));
        assertThat(others).as("another tenant sees nothing").isEmpty();
        assertThatThrownBy(() -> supervisor.queueKpis(new Kpis.QueueParams(to, T0, null, null))).hasMessageContaining("timeTo");
    }
}

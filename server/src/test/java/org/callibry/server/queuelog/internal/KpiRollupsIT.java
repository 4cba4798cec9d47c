package org.callibry.server.queuelog.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.callibry.server.acd.QueueEvent;
import org.callibry.server.api.ApiTestSupport;
import org.callibry.server.queuelog.QueueLogScript;
import org.callibry.shared.api.client.CallibryClient;
import org.callibry.shared.api.dto.Agents;
import org.callibry.shared.api.dto.Kpis;
import org.callibry.shared.api.dto.Queues;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The KPIs are the same whether they are read from the log or from the 15-minute rollups: a scripted
 * morning of queue calls and agent states ten days ago (calls and states crossing bucket bounds, a
 * queue with its own short-abandon threshold) is written late, as a spool replay would, so its days
 * are marked dirty and read from the log; after the rollups are made, the same ranges (on bucket bounds
 * and across them) give identical KPIs, now mostly from the rollups.
 */
class KpiRollupsIT extends ApiTestSupport {
    @Autowired
    ApplicationEventPublisher events;
    @Autowired
    KpiRollups rollups;
    @Autowired
    JdbcClient jdbc;

    private QueueLogScript script;

    @Test
    void rollupsGiveTheKpisOfTheLog() throws Exception {
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(10)).plus(Duration.ofMinutes(10 * 60 + 7));
        script = new QueueLogScript(events, t0);
        Fixture f = fixture();
        CallibryClient supervisor = as(f.supervisor());
        Queues.Queue q = supervisor.queues().create(new Queues.Create(null, "910", "Rollups", Queues.Strategy.LINEAR,
                List.of(new Queues.Member(f.account().id(), 0)), null, null, null, null, null, null, null, "en", 10, null, 20, null,
                null, null, null, null, null, 8, null, null, null));
        assertThat(q.shortAbandonSeconds()).isEqualTo(8);
        long tenant = f.tenant().id();
        long account = f.account().id();
        long agent = 434343;
        // e1 enters at 10:07 and is answered across the 10:15 bound, talks until 10:48
        call("e1", tenant, q.id(), agent, account, 0, 12, 41 * 60);
        // e2 enters at 10:14:50 (the same bucket), answered after 25 s (outside the 20 s service level)
        call("e2", tenant, q.id(), agent, account, 470, 25, 90);
        // e3 gives up after 6 s: short by this queue's 8 s (not by the default 5 s); e4 after 50 s
        script.event(QueueEvent.Type.ENTERED, "e3", tenant, q.id(), null, null, 30 * 60, 0);
        script.event(QueueEvent.Type.ABANDONED, "e3", tenant, q.id(), null, null, 30 * 60 + 6, 6);
        script.event(QueueEvent.Type.ENTERED, "e4", tenant, q.id(), null, null, 44 * 60, 0);
        script.event(QueueEvent.Type.ABANDONED, "e4", tenant, q.id(), null, null, 44 * 60 + 50, 50);
        // e5 enters at 11:59:30 and is answered after 40 s, in the next hour
        call("e5", tenant, q.id(), agent, account, 112 * 60 + 30, 40, 300);
        script.event(QueueEvent.Type.MISSED, "e5", tenant, q.id(), agent, account, 112 * 60 + 35, 5);
        // the agent: free from 9:00, paused for a break across two bounds, wrap-ups
        script.state(agent, tenant, account, Agents.State.FREE, null, -67 * 60);
        script.state(agent, tenant, account, Agents.State.BUSY, null, 12);
        script.state(agent, tenant, account, Agents.State.WRAP_UP, null, 41 * 60 + 12);
        script.state(agent, tenant, account, Agents.State.PAUSED, "break", 42 * 60);
        script.state(agent, tenant, account, Agents.State.FREE, null, 80 * 60);
        script.state(agent, tenant, account, Agents.State.BUSY, null, 113 * 60 + 10);
        script.state(agent, tenant, account, Agents.State.WRAP_UP, null, 118 * 60 + 10);
        script.state(agent, tenant, account, Agents.State.FREE, null, 118 * 60 + 20);

        long deadline = System.currentTimeMillis() + 15_000;
        while (logged(tenant, t0) < 25 && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertThat(logged(tenant, t0)).isEqualTo(25);
        Instant day = t0.truncatedTo(ChronoUnit.DAYS);
        Instant before = rollups.rolledTo();
        assertThat(before == null || before.isBefore(day)).as("a day written late is read from the log until rolled up again: "
                + before).isTrue();

        List<Range> ranges = List.of(new Range(day.plus(Duration.ofHours(9)), day.plus(Duration.ofHours(13))),
                new Range(t0.minusSeconds(300), t0.plus(Duration.ofMinutes(123))),
                new Range(day, day.plus(Duration.ofDays(2))));
        List<Kpis.QueueKpi> queuesFromLog = ranges.stream().flatMap(r -> supervisor.queueKpis(
                new Kpis.QueueParams(r.from(), r.to(), null, null)).stream()).toList();
        List<Kpis.AgentKpi> agentsFromLog = ranges.stream().flatMap(r -> supervisor.agentKpis(
                new Kpis.AgentParams(r.from(), r.to(), null, null)).stream()).toList();
        Kpis.QueueKpi morning = queuesFromLog.getFirst();
        assertThat(morning.offered()).isEqualTo(5);
        assertThat(morning.answered()).isEqualTo(3);
        assertThat(morning.shortAbandoned()).isEqualTo(1);
        assertThat(morning.abandoned()).isEqualTo(1);
        assertThat(morning.answeredWithinServiceLevel()).isEqualTo(1);
        assertThat(morning.maxTalk()).isEqualTo(41 * 60);
        Kpis.AgentKpi agentMorning = agentsFromLog.getFirst();
        assertThat(agentMorning.pauseSeconds()).containsEntry("break", 38 * 60L);
        assertThat(agentMorning.missed()).isEqualTo(1);

        long until = System.currentTimeMillis() + 60_000;
        while ((rollups.rolledTo() == null || rollups.rolledTo().isBefore(day.plus(Duration.ofDays(2))))
                && System.currentTimeMillis() < until) {
            rollups.rollUp(Instant.now());
            Thread.sleep(200);
        }
        assertThat(rollups.rolledTo()).isAfter(day.plus(Duration.ofDays(2)));
        assertThat(jdbc.sql("select count(*) from queue_kpi_15m where queue_id = :q").param("q", q.id()).query(Long.class).single())
                .as("buckets of 10:00 (e1, e2), 10:30, 10:45 and 11:45").isEqualTo(4);
        assertThat(jdbc.sql("select count(*) from queue_agent_state_15m where account_id = :a and state = 'PAUSED'")
                .param("a", account).query(Long.class).single()).as("the break (10:49-11:27) cut at 11:00 and 11:15").isEqualTo(3);

        List<Kpis.QueueKpi> queuesFromRollups = ranges.stream().flatMap(r -> supervisor.queueKpis(
                new Kpis.QueueParams(r.from(), r.to(), null, null)).stream()).toList();
        List<Kpis.AgentKpi> agentsFromRollups = ranges.stream().flatMap(r -> supervisor.agentKpis(
                new Kpis.AgentParams(r.from(), r.to(), null, null)).stream()).toList();
        assertThat(queuesFromRollups).isEqualTo(queuesFromLog);
        assertThat(agentsFromRollups).isEqualTo(agentsFromLog);
    }

    private record Range(Instant from, Instant to) {
    }

    private long logged(long tenant, Instant t0) {
        // the scripted rows only (not the agent's live rows of today)
        return jdbc.sql("select count(*) from queue_log where tenant_id = :t and at < :day").param("t", tenant)
                .param("day", java.sql.Timestamp.from(t0.plus(Duration.ofDays(1)))).query(Long.class).single();
    }

    /** A call that enters at {@code second}, is offered, answered after {@code wait} and talks {@code talk} seconds. */
    private void call(String entry, long tenant, long queue, long agent, long account, int second, int wait, int talk) {
        script.event(QueueEvent.Type.ENTERED, entry, tenant, queue, null, null, second, 0);
        script.event(QueueEvent.Type.OFFERED, entry, tenant, queue, agent, account, second + 1, 1);
        script.event(QueueEvent.Type.ANSWERED, entry, tenant, queue, agent, account, second + wait, wait);
        script.event(QueueEvent.Type.ENDED, entry, tenant, queue, agent, account, second + wait + talk, wait);
    }
}

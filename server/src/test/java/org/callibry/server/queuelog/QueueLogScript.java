package org.callibry.server.queuelog;

import java.time.Instant;
import org.callibry.server.acd.AgentStatusChanged;
import org.callibry.server.acd.QueueEvent;
import org.callibry.shared.api.dto.Agents;
import org.springframework.context.ApplicationEventPublisher;

/**
 * For the KPI tests: publishes queue events and agent changes as the ACD would, at seconds after
 * {@code t0}; entry {@code e1} of tenant 7 is call {@code call-e1-7}, caller {@code +74950001}.
 */
public final class QueueLogScript {
    private final ApplicationEventPublisher events;
    private final Instant t0;

    public QueueLogScript(ApplicationEventPublisher events, Instant t0) {
        this.events = events;
        this.t0 = t0;
    }

    public void event(QueueEvent.Type type, String entry, long tenant, long queue, Long agent, Long account, int second,
                      long wait) {
        events.publishEvent(new QueueEvent(type, "call-" + entry + "-" + tenant, entry + "-" + tenant, tenant, queue,
                "+7495000" + entry.charAt(1), agent, account, 1, wait, "", t0.plusSeconds(second)));
    }

    /** The agent's live state from {@code second} on ({@code PAUSED} with {@code reason}; other states as FREE). */
    public void state(long agent, long tenant, long account, Agents.State state, String reason, int second) {
        Agents.Status status = state == Agents.State.PAUSED ? Agents.Status.PAUSED : Agents.Status.FREE;
        events.publishEvent(new AgentStatusChanged(agent, new Agents.AgentStatus(account, tenant, "2001", status,
                reason == null ? "" : reason, t0, state, t0.plusSeconds(second), null, null, null), t0.plusSeconds(second)));
    }
}

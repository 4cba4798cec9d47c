package org.callibry.server.acd.internal;

import org.callibry.server.acd.AgentStatusChanged;
import org.callibry.server.api.PushNotification;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Agent changes as push notifications: {@code agent.statusChanged} (chosen status and live state) to the agent's tenant. */
@Component
class AgentPushes {
    private final ApplicationEventPublisher events;

    AgentPushes(ApplicationEventPublisher events) {
        this.events = events;
    }

    @EventListener
    void on(AgentStatusChanged e) {
        events.publishEvent(new PushNotification("agent.statusChanged", e.status(), e.status().tenantId()));
    }
}

package org.callibry.server.routing.internal;

import org.callibry.server.api.PushNotification;
import org.callibry.server.routing.RouteChanged;
import org.callibry.shared.api.Methods;
import org.callibry.shared.api.dto.Change;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Route table changes as push notifications: {@code route.changed} to unbound callers (routes have no tenant). */
@Component
class RoutePushes {
    private final ApplicationEventPublisher events;

    RoutePushes(ApplicationEventPublisher events) {
        this.events = events;
    }

    @EventListener
    void on(RouteChanged e) {
        events.publishEvent(new PushNotification(Methods.changed(Methods.ROUTE), new Change(Methods.ROUTE, e.id(), null, e.action()), null));
    }
}

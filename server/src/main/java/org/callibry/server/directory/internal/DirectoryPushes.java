package org.callibry.server.directory.internal;

import org.callibry.server.api.PushNotification;
import org.callibry.server.directory.DirectoryChanged;
import org.callibry.shared.api.Methods;
import org.callibry.shared.api.dto.Change;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** The directory's events as push notifications: {@code <family>.changed} to the object's tenant. */
@Component
class DirectoryPushes {
    private final ApplicationEventPublisher events;

    DirectoryPushes(ApplicationEventPublisher events) {
        this.events = events;
    }

    @EventListener
    void on(DirectoryChanged e) {
        events.publishEvent(new PushNotification(Methods.changed(e.family()), new Change(e.family(), e.id(), e.tenantId(), e.action()),
                e.tenantId()));
    }
}

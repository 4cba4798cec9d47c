package org.callibry.server.sip.internal;

import java.util.Map;
import org.callibry.server.api.PushNotification;
import org.callibry.server.sip.RegistrationChanged;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Registration changes as push notifications: {@code account.registration} to the account's tenant. */
@Component
class RegistrationPushes {
    private final ApplicationEventPublisher events;

    RegistrationPushes(ApplicationEventPublisher events) {
        this.events = events;
    }

    @EventListener
    void on(RegistrationChanged e) {
        events.publishEvent(new PushNotification("account.registration", Map.of("accountId", e.accountId(), "tenantId", e.tenantId(),
                "contacts", e.contacts(), "online", e.contacts() > 0), e.tenantId()));
    }
}

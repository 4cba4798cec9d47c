package org.callibry.server.sip;

import java.util.Map;
import org.callibry.server.api.PushNotification;

/**
 * An account's registered contacts changed (registered, refreshed with other contacts, unregistered,
 * expired); pushed as {@code account.registration} with the number of contacts now registered.
 */
public record RegistrationChanged(long accountId, Long tenantId, int contacts) implements PushNotification {

    @Override
    public String method() {
        return "account.registration";
    }

    @Override
    public Object params() {
        return Map.of("accountId", accountId, "tenantId", tenantId, "contacts", contacts, "online", contacts > 0);
    }

}

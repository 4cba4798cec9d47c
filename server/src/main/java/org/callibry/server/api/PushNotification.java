package org.callibry.server.api;

/**
 * An application event that the push channel ({@code /api/events}) delivers as a JSON-RPC
 * notification to every connected caller allowed to see it: callers bound to a tenant only get
 * notifications of that tenant, unbound callers all of them.
 */
public interface PushNotification {

    /** The notification's JSON-RPC method, e.g. {@code account.changed}. */
    String method();

    /** Its params (serialised with Jackson). */
    Object params();

    /** The tenant it concerns, or null for system-wide notifications (sent to unbound callers only). */
    Long tenantId();
}

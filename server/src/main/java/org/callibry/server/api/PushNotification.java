package org.callibry.server.api;

/**
 * A notification for the push channel ({@code /api/events}): published as an application event, it
 * goes as a JSON-RPC notification to every connected caller allowed to see it: callers bound to a
 * tenant only get notifications of that tenant, unbound callers all of them. Domain events stay free
 * of the API: each module maps its own events to notifications in its {@code internal} package.
 *
 * @param method   the notification's JSON-RPC method, e.g. {@code account.changed}
 * @param params   its params (serialised with Jackson)
 * @param tenantId the tenant it concerns, or null for system-wide notifications (sent to unbound callers only)
 * @param userId   when set, only that user's connections get it (e.g. {@code call.offered} to the agent)
 */
public record PushNotification(String method, Object params, Long tenantId, Long userId) {

    /** A notification for every caller allowed to see {@code tenantId}. */
    public PushNotification(String method, Object params, Long tenantId) {
        this(method, params, tenantId, null);
    }
}

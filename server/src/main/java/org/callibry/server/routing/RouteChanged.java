package org.callibry.server.routing;

import org.callibry.server.api.PushNotification;
import org.callibry.shared.api.Methods;
import org.callibry.shared.api.dto.Change;

/**
 * The route table changed; by the time this is published, {@link CallRouting} already decides with
 * the new table. Pushed as {@code route.changed} to unbound callers (routes belong to no tenant).
 *
 * @param id     the route, or 0 when many changed at once ({@code reordered}, {@code imported})
 * @param action {@code created}, {@code updated}, {@code deleted}, {@code reordered} or {@code imported}
 */
public record RouteChanged(long id, String action) implements PushNotification {

    @Override
    public String method() {
        return Methods.changed(Methods.ROUTE);
    }

    @Override
    public Object params() {
        return new Change(Methods.ROUTE, id, null, action);
    }

    @Override
    public Long tenantId() {
        return null;
    }
}

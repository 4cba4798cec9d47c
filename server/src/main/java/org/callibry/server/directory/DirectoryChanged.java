package org.callibry.server.directory;

import org.callibry.server.api.PushNotification;
import org.callibry.shared.api.Methods;
import org.callibry.shared.api.dto.Change;

/**
 * A directory object was created, updated or deleted; delivered on the push channel as
 * {@code <family>.changed} (e.g. {@code account.changed}).
 *
 * @param family {@code tenant}, {@code domain}, {@code account}, {@code user}, {@code contact} or {@code audio}
 * @param action {@code created}, {@code updated} or {@code deleted}
 */
public record DirectoryChanged(String family, long id, Long tenantId, String action) implements PushNotification {

    @Override
    public String method() {
        return Methods.changed(family);
    }

    @Override
    public Object params() {
        return new Change(family, id, tenantId, action);
    }
}

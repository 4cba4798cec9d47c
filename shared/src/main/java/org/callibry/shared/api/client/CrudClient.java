package org.callibry.shared.api.client;

import org.callibry.shared.api.Methods;
import org.callibry.shared.api.dto.IdParams;
import org.callibry.shared.api.dto.Page;
import tools.jackson.databind.JavaType;

/**
 * Typed calls of one CRUD family ({@code <family>.list/get/create/update/delete}).
 *
 * @param <T> the object the family returns
 * @param <C> the create parameters
 * @param <U> the update parameters
 * @param <L> the list parameters
 */
public final class CrudClient<T, C, U, L> {
    private final CallibryClient client;
    private final String family;
    private final Class<T> type;
    private final JavaType pageType;

    CrudClient(CallibryClient client, String family, Class<T> type) {
        this.client = client;
        this.family = family;
        this.type = type;
        this.pageType = client.mapper().getTypeFactory().constructParametricType(Page.class, type);
    }

    public Page<T> list(L params) {
        return client.call(Methods.crud(family, Methods.LIST), params, pageType);
    }

    public T get(long id) {
        return client.call(Methods.crud(family, Methods.GET), IdParams.of(id), type);
    }

    public T create(C params) {
        return client.call(Methods.crud(family, Methods.CREATE), params, type);
    }

    public T update(U params) {
        return client.call(Methods.crud(family, Methods.UPDATE), params, type);
    }

    public void delete(long id) {
        client.call(Methods.crud(family, Methods.DELETE), IdParams.of(id), Object.class);
    }
}

package org.callibry.server.api;

import org.callibry.shared.api.Role;

/**
 * The authenticated user behind an API call. A caller with a {@code tenantId} is bound to that tenant
 * and must never see another tenant's data.
 */
public record Caller(long userId, String username, Role role, Long tenantId) {

    public boolean tenantBound() {
        return tenantId != null;
    }

    /** May this caller see objects of {@code tenant}? */
    public boolean canSee(long tenant) {
        return tenantId == null || tenantId == tenant;
    }

    /**
     * The tenant a list or create call works on: a bound caller's own tenant (naming another is
     * refused), else the requested one (null meaning all).
     */
    public Long scopeTenant(Long requested, String field) {
        if (tenantId == null) {
            return requested;
        }
        if (requested != null && !requested.equals(tenantId)) {
            throw RpcException.forbidden(field, "not your tenant");
        }
        return tenantId;
    }
}

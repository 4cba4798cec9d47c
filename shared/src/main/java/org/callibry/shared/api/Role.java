package org.callibry.shared.api;

/**
 * Roles of API users. A user bound to a tenant sees only that tenant's data; {@code ADMIN} is never
 * bound, {@code CUSTOMER} always is.
 */
public enum Role {
    ADMIN,
    SUPERVISOR,
    OPERATOR,
    CUSTOMER
}

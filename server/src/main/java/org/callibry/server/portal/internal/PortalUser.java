package org.callibry.server.portal.internal;

import java.io.Serializable;
import org.callibry.shared.api.Role;

/**
 * Who logged in to a portal session: only the user id is trusted later, role and tenant are looked up
 * again on every request (see {@link PortalCallers}).
 */
record PortalUser(long userId, String username, Role role) implements Serializable {
}

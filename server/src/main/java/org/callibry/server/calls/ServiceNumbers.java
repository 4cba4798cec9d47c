package org.callibry.server.calls;

import java.util.Optional;
import org.callibry.server.routing.Destination;

/**
 * Numbers a tenant's own phones dial without any route, like extensions: a queue's or an IVR's
 * number. Implemented by the modules that own such numbers; the proxy asks each before the route
 * table, for calls of a known tenant. Called on the signaling path, so it answers from memory.
 */
public interface ServiceNumbers {

    /** The media service number {@code number} names in tenant {@code tenantId}, if any. */
    Optional<Destination.MediaService> lookup(long tenantId, String number);

    /**
     * Whether calls to {@code service} (reached by number or by a route) are recorded: the proxy then
     * anchors the caller's leg on the relay and records it (both directions: the caller, and what the
     * media server sends, music and the bridged party).
     */
    default boolean recorded(Destination.MediaService service) {
        return false;
    }
}

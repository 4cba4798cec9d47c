package org.callibry.server.routing;

import java.util.Optional;

/**
 * The media services other modules offer (queues, IVR scenarios, ...), as the routing checks a route
 * that names one: a route to a queue that does not exist is refused on save with the reason.
 */
public interface ServiceCatalog {

    /** Why a route may not name service {@code name} of this kind; empty when it may (or the kind is not this catalogue's). */
    Optional<String> refuse(Destination.MediaService.Kind kind, String name);
}

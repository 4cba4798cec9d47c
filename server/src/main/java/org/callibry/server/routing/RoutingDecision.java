package org.callibry.server.routing;

import java.util.List;

/**
 * The ordered targets for a call: the first matching route, followed by the next matching ones as
 * long as each target says "continue on failure". Empty when no route matches (the call is refused).
 */
public record RoutingDecision(List<RouteTarget> targets) {

    public boolean routable() {
        return !targets.isEmpty();
    }
}

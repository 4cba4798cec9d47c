package org.callibry.server.routing;

import java.time.Duration;

/**
 * One target of a routing decision: the route that matched, the numbers after its rewrite, where to
 * send the call and how.
 *
 * @param maxDuration       longest the call may last, or null for no limit
 * @param continueOnFailure when this target fails, try the next target of the decision
 * @param callerId          caller ID to present instead of the A-number, or null
 */
public record RouteTarget(long routeId, String routeName, String aNumber, String bNumber, Destination destination,
                          boolean record, boolean relayMedia, Duration maxDuration, boolean continueOnFailure,
                          String callerId) {
}

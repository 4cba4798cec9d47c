package org.callibry.server.routing;

import java.time.Instant;

/**
 * What the routing decision looks at for one call attempt.
 *
 * @param aNumber       caller user part (From)
 * @param aHost         caller domain (From host)
 * @param sourceAddress IP address the request came from (an A-host mask matches this or {@code aHost})
 * @param bNumber       called user part (Request-URI)
 * @param bHost         called domain (Request-URI host)
 * @param time          when the call happens (time conditions)
 */
public record RouteQuery(String aNumber, String aHost, String sourceAddress, String bNumber, String bHost, Instant time) {
}

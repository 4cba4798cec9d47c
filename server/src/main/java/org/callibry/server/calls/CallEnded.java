package org.callibry.server.calls;

import java.time.Instant;

/**
 * A call attempt through the proxy has ended (answered and hung up, busy, not answered, failed,
 * cancelled): everything its detail record needs. Published once per attempt, never blocking the
 * signaling path.
 *
 * @param callId          the call id shared by all legs: the caller's SIP Call-ID, which the legs a media
 *                        server originates for the call carry in {@link MediaServers#CALL_HEADER}
 * @param aNumber         caller user part as received
 * @param bNumber         called user part as received
 * @param aNumberRouted   caller after the route's rewrite (or caller-ID override)
 * @param bNumberRouted   called number after the rewrite
 * @param source          where the request came from ({@code ip:port})
 * @param destination     the last target tried (a contact or gateway URI), or null
 * @param routeName       the route used, or null when none matched
 * @param tenantId        the tenant of the caller (or of the called account for calls from peers), or null
 * @param startedAt       INVITE received
 * @param answeredAt      200 OK sent, or null
 * @param endedAt         BYE, CANCEL or final failure
 * @param disposition     how it ended
 * @param sipCode         final response code (200 for answered calls)
 * @param reason          a short human reason (e.g. "BYE from callee", "no route", "486 Busy Here")
 */
public record CallEnded(String callId, String aNumber, String bNumber, String aNumberRouted, String bNumberRouted,
                               String source, String destination, String routeName, Long tenantId, Instant startedAt,
                               Instant answeredAt, Instant endedAt, Disposition disposition, int sipCode, String reason) {

    public enum Disposition { ANSWERED, BUSY, NO_ANSWER, FAILED, CANCELLED }
}

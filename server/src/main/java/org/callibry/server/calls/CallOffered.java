package org.callibry.server.calls;

import java.time.Instant;

/**
 * A call was offered: an initial INVITE passed the ingress policy and routing, and the proxy is
 * about to ring its first target. Followed by exactly one {@link CallEnded} with the same call id,
 * and by a {@link CallAnswered} in between when someone answers.
 *
 * @param callId    the call id shared by every leg of the call: the caller's SIP Call-ID, carried by the
 *                  legs a media server originates for it ({@link MediaServers#CALL_HEADER})
 * @param tenantId  the caller's tenant (or the called account's, for calls from peers), or null
 * @param aNumber   the caller as received
 * @param bNumber   the number dialled as received
 * @param routeName the route that matched first
 */
public record CallOffered(String callId, Long tenantId, String aNumber, String bNumber, String routeName, Instant at) {
}

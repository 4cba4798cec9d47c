package org.callibry.server.calls;

import java.time.Instant;

/**
 * A call was answered: the first 2xx went to the caller.
 *
 * @param callId      the call id of the {@link CallOffered} before it
 * @param destination the contact or gateway URI that answered
 */
public record CallAnswered(String callId, Long tenantId, String aNumber, String bNumber, String destination, Instant at) {
}

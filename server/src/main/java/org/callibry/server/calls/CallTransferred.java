package org.callibry.server.calls;

import java.time.Instant;

/**
 * A party of an answered call asked to transfer the other (REFER, RFC 3515) and the other accepted
 * (2xx): the transferee now calls {@code target}.
 *
 * @param callId   the call id of the {@link CallOffered} that started the call
 * @param by       {@code caller} or {@code callee}: who sent the REFER
 * @param target   the Refer-To URI
 */
public record CallTransferred(String callId, Long tenantId, String aNumber, String bNumber, String by, String target,
                              Instant at) {
}

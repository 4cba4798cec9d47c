package org.callibry.softphone.sip;

import java.time.Instant;

/**
 * A text message (SIP MESSAGE, RFC 3428) received from a peer.
 *
 * @param peer        the sender's user part (e.g. {@code 1002}), the key of the chat
 * @param peerUri     the sender's full URI
 * @param displayName the sender's display name, or ""
 * @param text        the text
 * @param received    when it arrived
 */
public record InstantMessage(String peer, String peerUri, String displayName, String text, Instant received) {
}

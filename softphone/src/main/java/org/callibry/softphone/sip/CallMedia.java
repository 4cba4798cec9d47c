package org.callibry.softphone.sip;

import java.net.InetSocketAddress;

/**
 * The negotiated audio stream of a call: the seam to the audio engine. The engine sends RTP from
 * {@link Call#rtpPorts()} to {@code remote} with {@code payloadType}, DTMF (RFC 4733) with
 * {@code telephoneEventPayloadType}, and sends or receives as {@code direction} allows.
 *
 * @param localRtpPort              the local RTP port offered in SDP (RTCP on the next one)
 * @param remote                    where the other side (the server's relay) wants RTP, null before an answer
 * @param payloadType               the codec (0 PCMU, 8 PCMA), -1 before an answer
 * @param encoding                  the codec's name (PCMU, PCMA)
 * @param telephoneEventPayloadType the telephone-event payload type both sides agreed on, -1 when none
 * @param direction                 what this side may do: SENDRECV, SENDONLY (we hold), RECVONLY (held by them),
 *                                  INACTIVE
 */
public record CallMedia(int localRtpPort, InetSocketAddress remote, int payloadType, String encoding,
                        int telephoneEventPayloadType, MediaDirection direction) {
}

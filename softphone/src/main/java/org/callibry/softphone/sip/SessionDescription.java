package org.callibry.softphone.sip;

import java.util.List;
import java.util.Map;

/**
 * The part of an SDP body (RFC 4566) a softphone acts on: the audio stream's connection address and
 * port, its payload types in order of preference with their encoding names, the telephone-event
 * payload type (RFC 4733) and the direction attribute (RFC 3264 §5.1).
 *
 * @param address          connection address of the audio stream ({@code c=} of the media or session)
 * @param port             audio port, 0 when the stream is rejected
 * @param payloadTypes     audio payload types in the order of the {@code m=} line
 * @param encodings        encoding name per payload type ({@code rtpmap}, or the static RFC 3551 names)
 * @param telephoneEvent   payload type of telephone-event, -1 when absent
 * @param direction        the stream's direction
 */
public record SessionDescription(String address, int port, List<Integer> payloadTypes, Map<Integer, String> encodings,
                                 int telephoneEvent, MediaDirection direction) {
    public SessionDescription {
        payloadTypes = List.copyOf(payloadTypes);
        encodings = Map.copyOf(encodings);
    }

    /** The first payload type that is a codec (not telephone-event), or -1. */
    public int firstCodec() {
        return payloadTypes.stream().filter(pt -> pt != telephoneEvent).findFirst().orElse(-1);
    }
}

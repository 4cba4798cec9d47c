package org.callibry.softphone.sip;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A call's side of the SDP offer/answer model (RFC 3264): our offers, the media an answer or an
 * offer we answered leads to, and the report of each change of {@link CallMedia}. Runs on the event
 * thread.
 */
final class OfferAnswer {
    private final SipEndpoint endpoint;

    OfferAnswer(SipEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /** Our offer with {@code direction}, a new version of the call's session (RFC 3264 §8). */
    String offer(Call c, MediaDirection direction) {
        return Sdp.offer(c.sdpHost, c.sdpPort, c.sdpSessionId, ++c.sdpVersion, direction);
    }

    /** Takes the remote side's SDP answer to our offer (or, early, its 183 SDP). */
    void remoteAnswer(Call c, byte[] body) {
        if (body == null || body.length == 0) {
            return;
        }
        Sdp.parse(new String(body, StandardCharsets.UTF_8)).ifPresent(remote -> {
            MediaDirection ours = switch (remote.direction()) {
                case SENDRECV -> c.localDirection;
                case RECVONLY -> c.localDirection == MediaDirection.SENDRECV || c.localDirection == MediaDirection.SENDONLY
                        ? MediaDirection.SENDONLY : MediaDirection.INACTIVE;
                case SENDONLY -> MediaDirection.RECVONLY;
                case INACTIVE -> MediaDirection.INACTIVE;
            };
            int pt = remote.firstCodec();
            int te = remote.telephoneEvent();
            setMedia(c, new CallMedia(c.rtpPorts.rtpPort(), new InetSocketAddress(remote.address(), remote.port()), pt,
                    remote.encodings().getOrDefault(pt, ""), te, ours));
        });
    }

    /** Media after we answered {@code offer} with {@code answer}. */
    void answered(Call c, SessionDescription offer, String answer) {
        SessionDescription ours = Sdp.parse(answer).orElseThrow();
        int pt = ours.firstCodec();
        setMedia(c, new CallMedia(c.rtpPorts.rtpPort(), new InetSocketAddress(offer.address(), offer.port()), pt,
                ours.encodings().getOrDefault(pt, ""), ours.telephoneEvent(), ours.direction()));
    }

    private void setMedia(Call c, CallMedia m) {
        if (m.equals(c.media())) {
            return;
        }
        c.media(m);
        endpoint.tell(l -> l.mediaChanged(c, m));
    }
}

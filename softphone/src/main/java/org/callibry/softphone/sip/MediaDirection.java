package org.callibry.softphone.sip;

import java.util.Locale;

/** The direction attribute of a media stream, RFC 3264 §5.1 and §6.1. */
public enum MediaDirection {
    SENDRECV, SENDONLY, RECVONLY, INACTIVE;

    /** The attribute as written in SDP, e.g. {@code sendonly}. */
    public String attribute() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The direction an answer takes to an offer with this direction when the answerer itself wants
     * {@code local} (RFC 3264 §6.1): sendonly is answered recvonly, inactive stays inactive.
     */
    public MediaDirection answer(MediaDirection local) {
        boolean offerSends = this == SENDRECV || this == SENDONLY;
        boolean offerReceives = this == SENDRECV || this == RECVONLY;
        boolean localSends = local == SENDRECV || local == SENDONLY;
        boolean localReceives = local == SENDRECV || local == RECVONLY;
        boolean send = localSends && offerReceives;
        boolean receive = localReceives && offerSends;
        return send && receive ? SENDRECV : send ? SENDONLY : receive ? RECVONLY : INACTIVE;
    }
}

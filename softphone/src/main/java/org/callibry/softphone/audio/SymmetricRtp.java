package org.callibry.softphone.audio;

import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;

/**
 * Where a session's RTP and RTCP go (RFC 4961 symmetric RTP): the address the SDP gave until packets
 * arrive, then the address they come from (latching), which gets through NATs whatever the SDP said.
 * Written by the receive threads, read by the clock thread.
 */
final class SymmetricRtp {
    private static final System.Logger LOG = System.getLogger(RtpSession.class.getName());

    private volatile InetSocketAddress remote;
    private volatile InetSocketAddress remoteRtcp;
    private volatile boolean latched;
    private volatile int latchedSsrc;

    /** The address from the SDP (a new offer/answer): used until packets latch another; RTCP one port up. */
    void expect(InetSocketAddress sdp) {
        this.remote = sdp;
        this.remoteRtcp = new InetSocketAddress(sdp.getAddress(), sdp.getPort() + 1);
        this.latched = false;
    }

    /** An RTP packet of ours arrived from {@code from}: answer there; a new source (new SSRC) moves the latch. */
    void latch(InetSocketAddress from, int packetSsrc) {
        if (latched && (from.equals(remote) || packetSsrc == latchedSsrc)) {
            return;
        }
        if (!from.equals(remote)) {
            LOG.log(Level.DEBUG, "RTP latched to {0} (SDP said {1})", from, remote);
        }
        remote = from;
        remoteRtcp = new InetSocketAddress(from.getAddress(), from.getPort() + 1);
        latchedSsrc = packetSsrc;
        latched = true;
    }

    /** An RTCP packet arrived from {@code from}: once RTP latched, RTCP answers there too. */
    void rtcpFrom(InetSocketAddress from) {
        if (latched) {
            remoteRtcp = from;
        }
    }

    InetSocketAddress remote() {
        return remote;
    }

    InetSocketAddress remoteRtcp() {
        return remoteRtcp;
    }

    boolean latched() {
        return latched;
    }
}

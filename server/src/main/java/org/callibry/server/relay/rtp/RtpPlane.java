package org.callibry.server.relay.rtp;

/**
 * This node's media plane as the media server uses it: the RTP ports, the 20 ms media clock and the
 * address written into SDP. Null parts until the plane has started (role {@code media} only).
 */
public interface RtpPlane {

    public RtpNetwork network();

    public MediaClock clock();

    /** The address written into our SDP. */
    public String advertised();

    /** Calls the relay of this node carries now. */
    public int activeCalls();

    public boolean isRunning();
}

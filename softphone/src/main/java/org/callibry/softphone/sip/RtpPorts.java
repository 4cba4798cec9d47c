package org.callibry.softphone.sip;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.security.SecureRandom;

/**
 * An RTP/RTCP port pair (even port, RTCP on the next, RFC 3550 §11) bound when a call starts so that
 * the port put into SDP is really ours. The audio engine takes the sockets over with
 * {@link #takeRtp()} / {@link #takeRtcp()}; sockets not taken are closed when the call ends.
 */
public final class RtpPorts implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    // away from the server relay's default 20000-29999, which matters when both run on one machine
    private static final int FIRST = 40000;
    private static final int LAST = 49998;

    private final DatagramSocket rtp;
    private final DatagramSocket rtcp;
    private boolean rtpTaken;
    private boolean rtcpTaken;

    private RtpPorts(DatagramSocket rtp, DatagramSocket rtcp) {
        this.rtp = rtp;
        this.rtcp = rtcp;
    }

    /** Binds a free even/odd pair on {@code address}. */
    public static RtpPorts bind(InetAddress address) throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = FIRST + 2 * RANDOM.nextInt((LAST - FIRST) / 2);
            DatagramSocket rtp;
            try {
                rtp = new DatagramSocket(new InetSocketAddress(address, port));
            } catch (SocketException taken) {
                continue;
            }
            try {
                return new RtpPorts(rtp, new DatagramSocket(new InetSocketAddress(address, port + 1)));
            } catch (SocketException taken) {
                rtp.close();
            }
        }
        throw new IOException("no free RTP port pair on " + address.getHostAddress());
    }

    public int rtpPort() {
        return rtp.getLocalPort();
    }

    /** The RTP socket while still ours (for a STUN query before the audio engine takes it). */
    DatagramSocket rtpSocket() {
        return rtp;
    }

    public InetAddress address() {
        return rtp.getLocalAddress();
    }

    /** The RTP socket, now owned (and closed) by the caller. */
    public synchronized DatagramSocket takeRtp() {
        rtpTaken = true;
        return rtp;
    }

    /** The RTCP socket, now owned (and closed) by the caller. */
    public synchronized DatagramSocket takeRtcp() {
        rtcpTaken = true;
        return rtcp;
    }

    @Override
    public synchronized void close() {
        if (!rtpTaken) {
            rtp.close();
        }
        if (!rtcpTaken) {
            rtcp.close();
        }
    }
}

package org.callibry.softphone.sip;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.callibry.softphone.stun.StunClient;

/**
 * The address a call's SDP carries for its RTP socket behind a NAT: with a STUN server configured, the
 * one the STUN server sees the socket as (RFC 5389 Binding); without one, or without an answer within
 * a second, the local one the call started with.
 */
final class StunMapping {
    private static final System.Logger LOG = System.getLogger(UserAgent.class.getName());
    private final SoftphoneAccount account;

    StunMapping(SoftphoneAccount account) {
        this.account = account;
    }

    /** Puts the public address of the call's RTP socket into its SDP address, when STUN tells it. */
    void map(Call c) {
        account.stun().ifPresent(stun -> {
            try {
                int colon = stun.lastIndexOf(':');
                InetSocketAddress server = colon > 0 && !stun.endsWith("]")
                        ? new InetSocketAddress(stun.substring(0, colon), Integer.parseInt(stun.substring(colon + 1)))
                        : new InetSocketAddress(stun, 3478);
                InetSocketAddress mapped = new StunClient(server, Duration.ofMillis(250), 4).discover(c.rtpPorts.rtpSocket());
                c.sdpHost = mapped.getAddress().getHostAddress();
                c.sdpPort = mapped.getPort();
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "STUN query to {0} failed: {1}", stun, e.getMessage());
            }
        });
    }
}

package org.callibry.server.relay.rtp;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code callibry.media.*}: the RTP relay of this node.
 *
 * @param enabled           run the relay (and the media server) in this process
 * @param bindAddress       address the RTP ports bind to
 * @param advertisedAddress address written into relayed SDP; empty = the bind address, or the first
 *                          non-loopback IPv4 address when binding to 0.0.0.0
 * @param portMin           lowest RTP port (even); RTCP uses the next odd port
 * @param portMax           highest port of the range
 * @param threads           selector threads moving packets
 */
@ConfigurationProperties("callibry.media")
public record MediaProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("0.0.0.0") String bindAddress,
        @DefaultValue("") String advertisedAddress,
        @DefaultValue("20000") int portMin,
        @DefaultValue("29999") int portMax,
        @DefaultValue("2") int threads) {
}

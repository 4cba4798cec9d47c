package org.callibry.server.relay.internal;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code callibry.media.stun.*}: the STUN server (RFC 5389 Binding) that tells phones their public address.
 *
 * @param port              UDP port; 0 disables the server
 * @param bindAddress       address the socket binds to
 * @param software          value of the SOFTWARE attribute of responses; empty = none
 * @param requestsPerSecond requests answered per second and source address (token bucket refill); 0 = no limit
 * @param burst             requests a source may send at once before the rate applies (bucket size)
 */
@ConfigurationProperties("callibry.media.stun")
record StunProperties(
        @DefaultValue("3478") int port,
        @DefaultValue("0.0.0.0") String bindAddress,
        @DefaultValue("Callibry") String software,
        @DefaultValue("20") int requestsPerSecond,
        @DefaultValue("40") int burst) {

    StunProperties {
        if (port < 0 || port > 65535 || requestsPerSecond < 0 || burst < 1) {
            throw new IllegalArgumentException("callibry.media.stun: port 0-65535, requests-per-second >= 0, burst >= 1");
        }
    }
}

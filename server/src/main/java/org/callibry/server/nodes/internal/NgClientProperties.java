package org.callibry.server.nodes.internal;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code callibry.media.ng-client.*}: how commands are sent to media nodes over the ng protocol.
 *
 * @param bindAddress        local address of the client socket
 * @param timeout            longest a command waits for its reply
 * @param retransmitInterval time between two sends of an unanswered command
 * @param tries              sends of one command at most
 */
@ConfigurationProperties("callibry.media.ng-client")
public record NgClientProperties(
        @DefaultValue("0.0.0.0") String bindAddress,
        @DefaultValue("1s") Duration timeout,
        @DefaultValue("300ms") Duration retransmitInterval,
        @DefaultValue("3") int tries) {
}

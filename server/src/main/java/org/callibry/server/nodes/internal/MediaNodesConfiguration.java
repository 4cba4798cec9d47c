package org.callibry.server.nodes.internal;

import org.callibry.server.nodes.ng.NgClient;

import java.net.InetSocketAddress;
import java.net.SocketException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The ng client shared by the node monitor and the relay. */
@Configuration(proxyBeanMethods = false)
class MediaNodesConfiguration {

    @Bean(destroyMethod = "close")
    NgClient ngClient(NgClientProperties p) throws SocketException {
        return new NgClient(new InetSocketAddress(p.bindAddress(), 0), p.timeout(), p.retransmitInterval(), p.tries());
    }
}

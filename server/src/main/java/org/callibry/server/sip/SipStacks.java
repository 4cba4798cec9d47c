package org.callibry.server.sip;

import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.address.AddressFactory;
import javax.sip.header.HeaderFactory;
import javax.sip.message.MessageFactory;

/**
 * Every JAIN-SIP stack of the process comes from {@code sip}: besides the proxy's own, the user-agent
 * stacks other parts run (the media server's), hardened the same way (our stack logger, bounded
 * message size, the strict parser, the request valve) with dialog support on, so that no other module
 * names the stack's classes or options.
 */
public interface SipStacks {

    /**
     * Starts a user-agent stack listening on UDP and TCP at {@code bindAddress:port}, Via sent-by
     * {@code advertisedHost:port}, with automatic dialog support, delivering to {@code listener}.
     *
     * @throws IllegalStateException when it cannot (port taken, bad address); nothing is left running
     */
    UserAgentStack userAgent(String name, String bindAddress, int port, String advertisedHost, SipListener listener);

    /** A running user-agent stack; {@link #close} stops it and frees its ports. */
    interface UserAgentStack extends AutoCloseable {
        SipProvider provider();

        MessageFactory messages();

        HeaderFactory headers();

        AddressFactory addresses();

        @Override
        void close();
    }
}

package org.callibry.server.sip.internal;

import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sip.ListeningPoint;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.address.AddressFactory;
import javax.sip.header.HeaderFactory;
import javax.sip.message.MessageFactory;
import org.callibry.server.sip.SipStacks;
import org.springframework.stereotype.Component;

/** Makes the user-agent stacks of the process (ADR 0007: how JAIN-SIP is used here). */
@Component
class UserAgentStacks implements SipStacks {
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private record Running(SipStack stack, SipProvider provider, MessageFactory messages, HeaderFactory headers,
                           AddressFactory addresses) implements UserAgentStack {
        @Override
        public void close() {
            stack.stop();
        }
    }

    @Override
    public UserAgentStack userAgent(String name, String bindAddress, int port, String advertisedHost, SipListener listener) {
        SipStack stack = null;
        try {
            SipFactory factory = SipFactory.getInstance();
            factory.setPathName("gov.nist");
            Properties p = new Properties();
            // JAIN-SIP's factory hands out an existing stack of the same name: one name per instance
            p.setProperty("javax.sip.STACK_NAME", name + "-" + port + "-" + INSTANCES.incrementAndGet());
            p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "on");
            p.setProperty("gov.nist.javax.sip.STACK_LOGGER", Slf4jStackLogger.class.getName());
            p.setProperty("gov.nist.javax.sip.SERVER_LOGGER", Slf4jStackLogger.class.getName());
            p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "4");
            p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
            p.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", "65536");
            // the proxy's hardening too (ADR 0007): strict parsing, and the valve's checks and rate limit
            p.setProperty("gov.nist.javax.sip.MESSAGE_PARSER_FACTORY", StrictMessageParser.Factory.class.getName());
            p.setProperty("gov.nist.javax.sip.SIP_MESSAGE_VALVE", RequestValve.class.getName());
            p.setProperty("gov.nist.javax.sip.MESSAGE_PROCESSOR_FACTORY", LeanProcessors.class.getName());
            p.setProperty("gov.nist.javax.sip.LOG_MESSAGE_CONTENT", "false");
            p.setProperty("gov.nist.javax.sip.TRACE_LEVEL", "0");
            stack = new LeanSipStack(p); // the factory would make the RI's SipStackImpl
            ListeningPoint udp = stack.createListeningPoint(bindAddress, port, "udp");
            ListeningPoint tcp = stack.createListeningPoint(bindAddress, port, "tcp");
            udp.setSentBy(advertisedHost + ":" + port);
            tcp.setSentBy(advertisedHost + ":" + port);
            SipProvider provider = stack.createSipProvider(udp);
            provider.addListeningPoint(tcp);
            provider.addSipListener(listener);
            stack.start();
            return new Running(stack, provider, factory.createMessageFactory(), factory.createHeaderFactory(),
                    factory.createAddressFactory());
        } catch (Exception e) {
            if (stack != null) {
                stack.stop(); // a failed bind leaves the stack's threads running otherwise
            }
            throw new IllegalStateException("Cannot start SIP user agent " + name + " on " + bindAddress + ":" + port + ": "
                    + e.getMessage(), e);
        }
    }
}

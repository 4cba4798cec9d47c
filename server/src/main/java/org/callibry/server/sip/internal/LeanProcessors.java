package org.callibry.server.sip.internal;

import gov.nist.javax.sip.stack.LeanUdpMessageProcessor;
import gov.nist.javax.sip.stack.MessageProcessor;
import gov.nist.javax.sip.stack.OIOMessageProcessorFactory;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.io.IOException;
import java.net.InetAddress;

/**
 * The message processors of our SIP stacks ({@code gov.nist.javax.sip.MESSAGE_PROCESSOR_FACTORY}): UDP goes
 * through {@link LeanUdpMessageProcessor}, the stream transports stay the RI's.
 */
public final class LeanProcessors extends OIOMessageProcessorFactory {
    @Override
    public MessageProcessor createMessageProcessor(SIPTransactionStack stack, InetAddress address, int port, String transport)
            throws IOException {
        if ("UDP".equalsIgnoreCase(transport)) {
            return new LeanUdpMessageProcessor(address, stack, port);
        }
        return super.createMessageProcessor(stack, address, port, transport);
    }
}

package org.callibry.server.sip.internal;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.stack.LeanServerTransaction;
import gov.nist.javax.sip.stack.LeanUdpMessageProcessor;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.MessageProcessor;
import gov.nist.javax.sip.stack.SIPServerTransaction;
import gov.nist.javax.sip.stack.SIPTransaction;
import java.util.Locale;
import java.util.Properties;
import javax.sip.PeerUnavailableException;

/**
 * JAIN-SIP's stack with one lookup changed: the transaction a CANCEL cancels is found by its branch in the
 * transaction table, not by a scan of every transaction. The RI compares the CANCEL with each live
 * transaction in turn (lower-casing a branch each time): at 1,000 calls/s, with about 13,000 live
 * transactions, the few CANCELs sent for calls that time out under load took 6 % of the SIP threads'
 * time, and more of it the more calls time out. An RFC 3261 branch is the table's key of the INVITE
 * transaction the CANCEL matches, so the lookup returns what the scan would; other branches (RFC 2543
 * peers) keep the RI's scan.
 *
 * <p>It also sets how long a terminated transaction lingers in the table before it is removed (the RI's
 * {@code LINGER_TIMER}, 8 s by default): {@link #lingerSeconds}, set by the server from
 * {@code callibry.sip.completed-transaction-wait}. The RI keeps this in a static field that every stack's
 * constructor overwrites, so every stack of the process takes it from here.
 *
 * <p>Its server transactions are {@link LeanServerTransaction}s, which may let go of their parsed messages once
 * answered without losing RFC 2543 requests.
 *
 * <p>{@link #udpSockets()} tells how many sockets bind its UDP port ({@link LeanUdpMessageProcessor}).
 */
public final class LeanSipStack extends SipStackImpl {
    static final String LINGER = "gov.nist.javax.sip.LINGER_TIMER";

    /** Seconds a terminated transaction lingers, for every stack made from now on (an explicit property wins). */
    static volatile int lingerSeconds = 8;

    public LeanSipStack(Properties properties) throws PeerUnavailableException {
        super(withLinger(properties));
    }

    private static Properties withLinger(Properties properties) {
        if (properties.getProperty(LINGER) == null) {
            properties.setProperty(LINGER, Integer.toString(lingerSeconds));
        }
        return properties;
    }

    /** The sockets that bind the UDP port (the first UDP listening point's; 0 without UDP). */
    public int udpSockets() {
        for (MessageProcessor p : getMessageProcessors()) {
            if (p instanceof LeanUdpMessageProcessor udp) {
                return udp.sockets();
            }
        }
        return 0;
    }

    /** As the RI's (the same refusal by chance past the table's low-water mark), but a {@link LeanServerTransaction}. */
    @Override
    public SIPServerTransaction createServerTransaction(MessageChannel channel) {
        if (!unlimitedServerTransactionTableSize) {
            float threshold = ((float) (serverTransactionTable.size() - serverTransactionTableLowaterMark))
                    / ((float) (serverTransactionTableHighwaterMark - serverTransactionTableLowaterMark));
            if (Math.random() > 1.0 - threshold) {
                return null;
            }
        }
        return new LeanServerTransaction(this, channel);
    }

    @Override
    public SIPTransaction findCancelTransaction(SIPRequest cancel, boolean isServer) {
        Via via = cancel.getTopmostVia();
        String branch = via == null ? null : via.getBranch();
        if (!LeanServerTransaction.rfc3261(branch)) {
            return super.findCancelTransaction(cancel, isServer);
        }
        String key = branch.toLowerCase(Locale.ROOT);
        SIPTransaction tx = isServer ? serverTransactionTable.get(key) : clientTransactionTable.get(key);
        return tx != null && tx.doesCancelMatchTransaction(cancel) ? tx : null;
    }
}

package org.callibry.server.sip.core;

import gov.nist.javax.sip.stack.DefaultRouter;
import javax.sip.SipException;
import javax.sip.SipStack;
import javax.sip.address.Hop;
import javax.sip.message.Request;

/**
 * JAIN-SIP's router with one addition: the proxy can send a request to an address other than its
 * Request-URI (a contact registered from behind NAT is reached at the address its REGISTER came
 * from, RFC 3581 / RFC 5626 §5) by setting {@link #OVERRIDE} around creating the transaction.
 */
public final class NextHopRouter extends DefaultRouter {
    public static final ThreadLocal<Hop> OVERRIDE = new ThreadLocal<>();

    public NextHopRouter(SipStack stack, String outboundProxy) {
        super(stack, outboundProxy);
    }

    @Override
    public Hop getNextHop(Request request) throws SipException {
        Hop hop = OVERRIDE.get();
        return hop != null ? hop : super.getNextHop(request);
    }
}

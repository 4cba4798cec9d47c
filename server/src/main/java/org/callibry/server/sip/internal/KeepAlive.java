package org.callibry.server.sip.internal;

import gov.nist.javax.sip.Utils;
import java.text.ParseException;
import java.util.List;
import java.util.UUID;
import javax.sip.InvalidArgumentException;
import javax.sip.SipException;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import org.callibry.server.sip.core.Location;
import org.callibry.server.sip.core.NextHopRouter;
import org.callibry.server.sip.core.Sip;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps NAT bindings open (RFC 5626 §3.5 in spirit): every {@code callibry.sip.keep-alive-interval},
 * an OPTIONS goes to each contact registered from an address other than the one in its Contact (a
 * phone behind NAT), at the address its REGISTER came from. Sent statelessly; the answer, stray, is
 * dropped. The traffic itself is what keeps the NAT mapping alive.
 */
final class KeepAlive {
    private static final Logger log = LoggerFactory.getLogger(KeepAlive.class);

    private final Sip sip;
    private final Location location;

    KeepAlive(Sip sip, Location location) {
        this.sip = sip;
        this.location = location;
    }

    void pingNattedContacts() {
        List<Location.Binding> all = location.all();
        for (Location.Binding b : all) {
            try {
                URI contact = sip.addresses.createURI(b.contact());
                if (contact instanceof SipURI s && !b.natted(s.getHost(), s.getPort() > 0 ? s.getPort() : 5060)) {
                    continue;
                }
                ping(contact, b);
            } catch (ParseException | InvalidArgumentException | SipException | RuntimeException e) {
                log.debug("Keep-alive to {} failed: {}", b.contact(), e.getMessage());
            }
        }
    }

    private void ping(URI contact, Location.Binding b) throws ParseException, InvalidArgumentException, SipException {
        SipURI me = sip.addresses.createSipURI("keepalive", sip.host);
        Address from = sip.addresses.createAddress(me);
        FromHeader fromHeader = sip.headers.createFromHeader(from, Long.toHexString(System.nanoTime()));
        ToHeader to = sip.headers.createToHeader(sip.addresses.createAddress(contact), null);
        CallIdHeader callId = sip.headers.createCallIdHeader(UUID.randomUUID() + "@" + sip.host);
        CSeqHeader cseq = sip.headers.createCSeqHeader(1L, Request.OPTIONS);
        MaxForwardsHeader mf = sip.headers.createMaxForwardsHeader(70);
        ViaHeader via = sip.headers.createViaHeader(sip.host, sip.port, b.transport(), Utils.getInstance().generateBranchId());
        Request options = sip.messages.createRequest(contact, Request.OPTIONS, callId, cseq, fromHeader, to, List.of(via), mf);
        NextHopRouter.OVERRIDE.set(b.hop());
        try {
            sip.provider.sendRequest(options);
        } finally {
            NextHopRouter.OVERRIDE.remove();
        }
    }
}

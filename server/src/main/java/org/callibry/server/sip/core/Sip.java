package org.callibry.server.sip.core;

import gov.nist.javax.sip.message.SIPRequest;
import java.text.ParseException;
import java.util.List;
import javax.sip.InvalidArgumentException;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ReasonHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running stack's factories and provider, and the small helpers the registrar and proxy share:
 * building and sending responses, this server's own address.
 */
public final class Sip {
    private static final Logger log = LoggerFactory.getLogger(Sip.class);

    public final SipProvider provider;
    public final MessageFactory messages;
    public final HeaderFactory headers;
    public final AddressFactory addresses;
    public final String host;
    public final int port;
    /** The TLS listening point's port, 0 when TLS is off. */
    public final int tlsPort;

    public Sip(SipProvider provider, MessageFactory messages, HeaderFactory headers, AddressFactory addresses, String host, int port,
        int tlsPort) {
        this.tlsPort = tlsPort;
        this.provider = provider;
        this.messages = messages;
        this.headers = headers;
        this.addresses = addresses;
        this.host = host;
        this.port = port;
    }

    /** Sends a response on the transaction, or statelessly when there is none; never throws. */
    public void respond(ServerTransaction st, Request request, int code, String reason, List<? extends javax.sip.header.Header> extra) {
        try {
            Response r = messages.createResponse(code, request);
            if (reason != null) {
                r.setReasonPhrase(reason);
            }
            if (extra != null) {
                extra.forEach(r::addHeader);
            }
            send(st, r);
        } catch (ParseException e) {
            log.warn("Cannot build {} for {}: {}", code, request.getMethod(), e.getMessage());
        }
    }

    public void respond(ServerTransaction st, Request request, int code) {
        respond(st, request, code, null, null);
    }

    public void send(ServerTransaction st, Response r) {
        try {
            if (st != null) {
                st.sendResponse(r);
            } else {
                provider.sendResponse(r);
            }
        } catch (SipException | InvalidArgumentException | RuntimeException e) {
            log.debug("Cannot send {}: {}", r.getStatusCode(), e.getMessage());
        }
    }

    /** A client transaction for {@code request}, sent to {@code hop} (or where the Request-URI and Route say, when null). */
    public javax.sip.ClientTransaction newClientTransaction(Request request, javax.sip.address.Hop hop) throws SipException {
        NextHopRouter.OVERRIDE.set(hop);
        try {
            return provider.getNewClientTransaction(request);
        } finally {
            NextHopRouter.OVERRIDE.remove();
        }
    }

    public ReasonHeader reason(String text) {
        try {
            return headers.createReasonHeader("SIP", 0, text);
        } catch (ParseException | InvalidArgumentException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Is this URI this server (our address, any port, or our port on a local address)? */
    public boolean isMe(SipURI uri, SipAccounts accounts) {
        int p = uri.getPort() <= 0 ? (uri.isSecure() || "tls".equalsIgnoreCase(uri.getTransportParam()) ? 5061 : 5060) : uri.getPort();
        return (p == port || tlsPort > 0 && p == tlsPort) && (uri.getHost().equalsIgnoreCase(host) || accounts.isLocal(uri.getHost()));
    }

    /** The source address of a request as the transport saw it. */
    public static String sourceIp(Request r) {
        return ((SIPRequest) r).getRemoteAddress().getHostAddress();
    }

    public static int sourcePort(Request r) {
        return ((SIPRequest) r).getRemotePort();
    }

    public static String transport(Request r) {
        javax.sip.header.ViaHeader via = (javax.sip.header.ViaHeader) r.getHeader(javax.sip.header.ViaHeader.NAME);
        return via == null ? "udp" : via.getTransport().toLowerCase();
    }
}

package org.callibry.softphone.sip;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.HexFormat;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.header.Header;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * Call transfer (RFC 3515 REFER, RFC 5589 call flows) from both sides. As transferor: REFER out,
 * blind or attended (Refer-To with Replaces, RFC 3891), its progress from the NOTIFY sipfrags, and
 * leaving once it worked. As transferee: REFER in (202), the new call, and NOTIFYs of how it went.
 * Reports {@link TransferProgress}. Runs on the event thread.
 */
final class Transfers {
    private static final System.Logger LOG = System.getLogger(UserAgent.class.getName());

    private final SipEndpoint endpoint;
    private final InviteSessions sessions;

    Transfers(SipEndpoint endpoint, InviteSessions sessions) {
        this.endpoint = endpoint;
        this.sessions = sessions;
    }

    // ------------------------------------------------------------------ transferor

    void blind(Call c, String target) {
        try {
            sendRefer(c, "<" + endpoint.targetUri(target) + ">");
        } catch (ParseException e) {
            failed(c, "not a SIP address: " + target);
        }
    }

    void attended(Call c, Call consultation) {
        if (consultation.dialog == null || !consultation.state().established()) {
            failed(c, "the consultation call is not established");
            return;
        }
        Replaces replaces = Replaces.forTarget(consultation.callId, consultation.dialog);
        String uri = consultation.remoteUri();
        consultation.transferRole = TransferProgress.Role.TRANSFEROR;
        sendRefer(c, "<" + uri + "?Replaces=" + escape(replaces.toString()) + ">");
    }

    private void sendRefer(Call c, String referTo) {
        if (!c.state().established()) {
            failed(c, "the call is not established");
            return;
        }
        try {
            Request refer = c.dialog.createRequest(Request.REFER);
            refer.addHeader(endpoint.headers().createHeader("Refer-To", referTo));
            refer.addHeader(endpoint.headers().createHeader("Referred-By", "<" + endpoint.account().addressOfRecord() + ">"));
            refer.setHeader(endpoint.contact());
            c.transferRole = TransferProgress.Role.TRANSFEROR;
            c.dialog.sendRequest(endpoint.provider().getNewClientTransaction(refer));
        } catch (ParseException | SipException e) {
            failed(c, e.getMessage());
        }
    }

    private void failed(Call c, String why) {
        TransferProgress p = new TransferProgress(TransferProgress.Role.TRANSFEROR, 0, why, true, null);
        endpoint.tell(l -> l.transferProgress(c, p));
    }

    /** The final response to our REFER: accepted (202) or refused. */
    void referResponse(Call c, Response r) {
        int status = r.getStatusCode();
        if (status < 200) {
            return;
        }
        TransferProgress p = new TransferProgress(TransferProgress.Role.TRANSFEROR, status, r.getReasonPhrase(),
                status >= 300, null);
        endpoint.tell(l -> l.transferProgress(c, p));
    }

    /** The transferor learns from NOTIFY with a sipfrag (RFC 3515 §2.4.5) how the transferee's new call went. */
    void incomingNotify(Call c, RequestEvent e) throws Exception {
        ServerTransaction st = endpoint.serverTransaction(e);
        Request r = e.getRequest();
        if (st != null) {
            st.sendResponse(endpoint.messages().createResponse(Response.OK, r));
        }
        String body = r.getRawContent() == null ? "" : new String(r.getRawContent(), StandardCharsets.UTF_8);
        String[] statusLine = body.strip().split("\r?\n", 2)[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("SIP/")) {
            return;
        }
        int status;
        try {
            status = Integer.parseInt(statusLine[1]);
        } catch (NumberFormatException malformed) {
            return;
        }
        String phrase = statusLine.length > 2 ? statusLine[2] : "";
        boolean done = status >= 200;
        TransferProgress p = new TransferProgress(TransferProgress.Role.TRANSFEROR, status, phrase, done, null);
        endpoint.tell(l -> l.transferProgress(c, p));
        if (done && status < 300 && c.state().established()) {
            c.transferSucceeded = true;
            // RFC 5589 §6.1: the transfer worked, the transferor leaves
            sessions.all().stream().filter(o -> o.transferRole == TransferProgress.Role.TRANSFEROR && o != c
                    && o.state().established()).forEach(o -> o.transferSucceeded = true);
            sessions.hangUpNow(c, CallEnd.of(CallEnd.Reason.TRANSFERRED, "transferred"));
        }
    }

    // ------------------------------------------------------------------ transferee

    /** The transferee accepts the REFER (202) and places the new call, reporting it back by NOTIFY. */
    void incomingRefer(Call c, RequestEvent e) throws Exception {
        ServerTransaction st = endpoint.serverTransaction(e);
        Request r = e.getRequest();
        Header referTo = r.getHeader("Refer-To");
        if (st == null) {
            return;
        }
        if (referTo == null) {
            st.sendResponse(endpoint.messages().createResponse(Response.BAD_REQUEST, r));
            return;
        }
        Address target = endpoint.addresses().createAddress(SipEndpoint.headerValue(referTo));
        if (!(target.getURI() instanceof SipURI uri)) {
            st.sendResponse(endpoint.messages().createResponse(Response.UNSUPPORTED_URI_SCHEME, r));
            return;
        }
        st.sendResponse(endpoint.messages().createResponse(Response.ACCEPTED, r));
        String replaces = uri.getHeader("Replaces");
        SipURI plain = endpoint.addresses().createSipURI(uri.getUser(), uri.getHost());
        if (uri.getPort() > 0) {
            plain.setPort(uri.getPort());
        }
        sendNotify(c, "SIP/2.0 100 Trying", false);
        Call next = sessions.dial(plain.toString(), replaces == null ? null : URLDecoder.decode(replaces, StandardCharsets.UTF_8), c);
        c.transferRole = TransferProgress.Role.TRANSFEREE;
        TransferProgress p = new TransferProgress(TransferProgress.Role.TRANSFEREE, Response.ACCEPTED, "calling " + uri.getUser(),
                false, next);
        endpoint.tell(l -> l.transferProgress(c, p));
    }

    /** The implicit subscription's NOTIFY (RFC 3515 §2.4.4) with the new call's status line as sipfrag. */
    private void sendNotify(Call c, String sipfrag, boolean terminated) {
        if (c.state() == CallState.ENDED) {
            return;
        }
        try {
            Request n = c.dialog.createRequest(Request.NOTIFY);
            n.addHeader(endpoint.headers().createEventHeader("refer"));
            n.addHeader(endpoint.headers().createSubscriptionStateHeader(terminated ? "terminated;reason=noresource" : "active;expires=60"));
            n.setHeader(endpoint.contact());
            n.setContent(sipfrag + "\r\n", endpoint.headers().createContentTypeHeader("message", "sipfrag;version=2.0"));
            c.dialog.sendRequest(endpoint.provider().getNewClientTransaction(n));
        } catch (ParseException | SipException e) {
            LOG.log(System.Logger.Level.DEBUG, "NOTIFY not sent", e);
        }
    }

    /** Keeps the transferor informed of the new call a REFER made us place. */
    void callStateChanged(Call next, CallState state) {
        Call original = next.referredBy;
        if (original == null) {
            return;
        }
        if (state == CallState.ACTIVE) {
            next.referredBy = null;
            original.transferSucceeded = true;
            sendNotify(original, "SIP/2.0 200 OK", true);
            TransferProgress p = new TransferProgress(TransferProgress.Role.TRANSFEREE, 200, "OK", true, next);
            endpoint.tell(l -> l.transferProgress(original, p));
        } else if (state == CallState.ENDED) {
            next.referredBy = null;
            int status = next.end().map(CallEnd::status).filter(s -> s > 0).orElse(Response.REQUEST_TERMINATED);
            sendNotify(original, "SIP/2.0 " + status + " " + next.end().map(CallEnd::text).orElse(""), true);
            TransferProgress p = new TransferProgress(TransferProgress.Role.TRANSFEREE, status,
                    next.end().map(CallEnd::text).orElse(""), true, next);
            endpoint.tell(l -> l.transferProgress(original, p));
        }
    }

    /** Escapes a header value for the headers part of a URI (RFC 3261 §19.1.1). */
    static String escape(String value) {
        StringBuilder b = new StringBuilder();
        for (byte x : value.getBytes(StandardCharsets.UTF_8)) {
            char ch = (char) (x & 0xff);
            if (Character.isLetterOrDigit(ch) && ch < 128 || "-_.!~*'()".indexOf(ch) >= 0) {
                b.append(ch);
            } else {
                b.append('%').append(HexFormat.of().withUpperCase().toHexDigits(x));
            }
        }
        return b.toString();
    }
}

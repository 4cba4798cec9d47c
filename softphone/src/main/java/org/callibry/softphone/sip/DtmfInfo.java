package org.callibry.softphone.sip;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import javax.sip.ClientTransaction;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.header.ContentTypeHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * DTMF by SIP INFO (RFC 6086 transport, {@code application/dtmf-relay} bodies): digits out one INFO
 * at a time per call, and digits in from {@code dtmf-relay} or {@code dtmf} bodies. Runs on the event
 * thread.
 */
final class DtmfInfo {
    private static final System.Logger LOG = System.getLogger(UserAgent.class.getName());
    private static final int DEFAULT_DURATION_MILLIS = 160;

    private final SipEndpoint endpoint;

    DtmfInfo(SipEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /** The {@code application/dtmf-relay} body for {@code digit}; refuses what is not 0-9, *, #, A-D. */
    static String body(char digit, int durationMillis) {
        if ("0123456789*#ABCDabcd".indexOf(digit) < 0) {
            throw new IllegalArgumentException("not a DTMF digit: " + digit);
        }
        return "Signal=" + Character.toUpperCase(digit) + "\r\nDuration=" + durationMillis + "\r\n";
    }

    /** Queues a {@link #body} for an established call. */
    void send(Call c, String body) {
        if (!c.state().established()) {
            return;
        }
        c.dtmfQueue.add(body);
        sendNext(c);
    }

    /**
     * One INFO at a time per call: a later one overtaking an earlier one on the way would make the
     * earlier one arrive with a lower CSeq and be refused (RFC 3261 §12.2.2).
     */
    private void sendNext(Call c) {
        if (c.infoTx != null || c.dtmfQueue.isEmpty() || !c.state().established()) {
            return;
        }
        try {
            Request info = c.dialog.createRequest(Request.INFO);
            info.setContent(c.dtmfQueue.poll(), endpoint.headers().createContentTypeHeader("application", "dtmf-relay"));
            c.infoTx = endpoint.provider().getNewClientTransaction(info);
            c.dialog.sendRequest(c.infoTx);
        } catch (ParseException | SipException e) {
            c.infoTx = null;
            LOG.log(System.Logger.Level.WARNING, "INFO not sent: {0}", e.getMessage());
        }
    }

    /** A final response to an INFO of the call, or its timeout when {@code ct} is ours: the next digit may go. */
    void done(Call c, ClientTransaction ct) {
        if (ct == c.infoTx) {
            c.infoTx = null;
            sendNext(c);
        }
    }

    /** An INFO from the other party: answered 200, its digit reported. */
    void incoming(Call c, RequestEvent e) throws Exception {
        ServerTransaction st = endpoint.serverTransaction(e);
        Request r = e.getRequest();
        ContentTypeHeader type = (ContentTypeHeader) r.getHeader(ContentTypeHeader.NAME);
        String body = r.getRawContent() == null ? "" : new String(r.getRawContent(), StandardCharsets.UTF_8);
        char digit = 0;
        int duration = DEFAULT_DURATION_MILLIS;
        if (type != null && "dtmf-relay".equalsIgnoreCase(type.getContentSubType())) {
            for (String line : body.split("\r?\n")) {
                String[] kv = line.split("=", 2);
                if (kv.length == 2 && kv[0].trim().equalsIgnoreCase("Signal") && !kv[1].isBlank()) {
                    digit = kv[1].trim().charAt(0);
                } else if (kv.length == 2 && kv[0].trim().equalsIgnoreCase("Duration")) {
                    try {
                        duration = Integer.parseInt(kv[1].trim());
                    } catch (NumberFormatException ignored) {
                        // keep the default
                    }
                }
            }
        } else if (type != null && "dtmf".equalsIgnoreCase(type.getContentSubType()) && !body.isBlank()) {
            digit = body.trim().charAt(0);
        }
        if (st != null) {
            st.sendResponse(endpoint.messages().createResponse(Response.OK, r));
        }
        if (digit != 0) {
            char d = digit;
            int ms = duration;
            endpoint.tell(l -> l.dtmfReceived(c, d, ms));
        }
    }
}

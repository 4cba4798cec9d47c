package org.callibry.softphone.sip;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Optional;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.header.CSeqHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * Changes to an established call by re-INVITE (RFC 3261 §14): our hold and resume (RFC 3264 §8.4,
 * a=sendonly / a=sendrecv), the other side's new offers, and glare. Runs on the event thread.
 */
final class Reinvites {
    private static final System.Logger LOG = System.getLogger(UserAgent.class.getName());

    private final SipEndpoint endpoint;
    private final InviteSessions sessions;
    private final OfferAnswer media;

    Reinvites(SipEndpoint endpoint, InviteSessions sessions, OfferAnswer media) {
        this.endpoint = endpoint;
        this.sessions = sessions;
        this.media = media;
    }

    /** Puts an ACTIVE call on hold, or takes a HELD one off; nothing while another re-INVITE is under way. */
    void hold(Call c, boolean hold) {
        CallState wanted = hold ? CallState.HELD : CallState.ACTIVE;
        if (!c.state().established() || c.state() == wanted || c.reinviteTx != null) {
            return;
        }
        c.localDirection = hold ? MediaDirection.SENDONLY : MediaDirection.SENDRECV;
        send(c);
    }

    private void send(Call c) {
        try {
            Request r = c.dialog.createRequest(Request.INVITE);
            r.setHeader(endpoint.contact());
            r.setContent(media.offer(c, c.localDirection), endpoint.sdpType());
            c.reinviteTx = endpoint.provider().getNewClientTransaction(r);
            c.dialog.sendRequest(c.reinviteTx);
        } catch (ParseException | SipException e) {
            c.reinviteTx = null;
            LOG.log(System.Logger.Level.WARNING, "re-INVITE not sent: {0}", e.getMessage());
        }
    }

    /** A response to our re-INVITE. */
    void response(Call c, ResponseEvent e) throws Exception {
        Response r = e.getResponse();
        int status = r.getStatusCode();
        if (status < 200) {
            return;
        }
        c.reinviteTx = null;
        if (status < 300) {
            long cseq = ((CSeqHeader) r.getHeader(CSeqHeader.NAME)).getSeqNumber();
            c.dialog.sendAck(c.dialog.createAck(cseq));
            if (c.state() == CallState.ENDED) {
                return;
            }
            media.remoteAnswer(c, r.getRawContent());
            sessions.setState(c, c.localDirection == MediaDirection.SENDRECV ? CallState.ACTIVE : CallState.HELD);
        } else if (status == Response.REQUEST_PENDING) {
            // RFC 3261 §14.1: glare, try again after a random 2.1-4 s
            endpoint.schedule(() -> {
                if (c.state().established() && c.reinviteTx == null) {
                    send(c);
                }
            }, 2100 + SipEndpoint.RANDOM.nextInt(1900));
        } else if (status == Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST || status == Response.REQUEST_TIMEOUT) {
            sessions.ended(c, CallEnd.fromStatus(status, r.getReasonPhrase())); // RFC 3261 §14.1: the dialog is gone
        } else {
            c.localDirection = c.state() == CallState.HELD ? MediaDirection.SENDONLY : MediaDirection.SENDRECV;
        }
    }

    /** Our re-INVITE was never answered: the dialog counts as gone (RFC 3261 §14.1). */
    void timedOut(Call c) {
        c.reinviteTx = null;
        sessions.hangUpNow(c, CallEnd.of(CallEnd.Reason.SERVER_UNREACHABLE, "no answer from the server"));
    }

    /** The other side's re-INVITE: answered with the direction that fits ours (held here: sendonly or inactive). */
    void incoming(Call c, RequestEvent e) throws Exception {
        ServerTransaction st = endpoint.serverTransaction(e);
        if (st == null) {
            return;
        }
        Request request = e.getRequest();
        Response ok = endpoint.messages().createResponse(Response.OK, request);
        ok.setHeader(endpoint.contact());
        byte[] body = request.getRawContent();
        if (body != null && body.length > 0) {
            Optional<SessionDescription> offer = Sdp.parse(new String(body, StandardCharsets.UTF_8));
            Optional<String> answer = offer.flatMap(o -> Sdp.answer(o, c.sdpHost, c.sdpPort,
                    c.sdpSessionId, ++c.sdpVersion, c.localDirection));
            if (answer.isEmpty()) {
                st.sendResponse(endpoint.messages().createResponse(Response.NOT_ACCEPTABLE_HERE, request));
                return;
            }
            ok.setContent(answer.get(), endpoint.sdpType());
            st.sendResponse(ok);
            media.answered(c, offer.get(), answer.get());
        } else {
            ok.setContent(media.offer(c, c.localDirection), endpoint.sdpType());
            c.awaitingAnswerInAck = true; // RFC 3264 §4: the offer in our 2xx, the answer in the ACK
            st.sendResponse(ok);
        }
    }
}

package org.callibry.softphone.sip;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.Header;
import javax.sip.header.ReasonHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * The calls of an agent as INVITE sessions (RFC 3261 §13-§15): the outgoing INVITE with its
 * provisional and final responses, ACK and CANCEL; the incoming INVITE with ringing, answer or refusal;
 * BYE both ways; each call's state from DIALING or RINGING to ENDED. Runs on the event thread.
 */
final class InviteSessions {
    private static final System.Logger LOG = System.getLogger(UserAgent.class.getName());
    private static final String ALLOW = "INVITE, ACK, CANCEL, BYE, OPTIONS, MESSAGE, INFO, REFER, NOTIFY";
    /** The header with which the server's queues mark the INVITEs they offer to agents: the queue's name. */
    static final String QUEUE_HEADER = "X-Callibry-Queue";
    /** With a queue's offer: the id the server shares among all legs of the caller's call. */
    static final String CALL_ID_HEADER = "X-Callibry-Call-Id";
    /** With a queue's offer: the seconds the caller had waited. */
    static final String WAIT_HEADER = "X-Callibry-Queue-Wait";

    private final UserAgent agent;
    private final SipEndpoint endpoint;
    private final Credentials credentials;
    private final OfferAnswer media;
    private final StunMapping stun;
    private final BiConsumer<Call, CallState> stateChanged;
    private final Map<String, Call> calls = new ConcurrentHashMap<>();

    /** {@code stateChanged} hears of every state a call reaches, after the listener. */
    InviteSessions(UserAgent agent, SipEndpoint endpoint, Credentials credentials, OfferAnswer media, StunMapping stun,
                   BiConsumer<Call, CallState> stateChanged) {
        this.agent = agent;
        this.endpoint = endpoint;
        this.credentials = credentials;
        this.media = media;
        this.stun = stun;
        this.stateChanged = stateChanged;
    }

    /** The call with this SIP Call-ID, ended ones included for a while (late responses), or null. */
    Call get(String callId) {
        return calls.get(callId);
    }

    /** Every call still known, ended ones included. */
    Collection<Call> all() {
        return calls.values();
    }

    /** The calls not yet ended. */
    List<Call> active() {
        return calls.values().stream().filter(c -> c.state() != CallState.ENDED).toList();
    }

    /** Closes the RTP sockets of every call (the agent stops). */
    void releaseMedia() {
        calls.values().forEach(c -> c.rtpPorts.close());
    }

    // ------------------------------------------------------------------ outgoing

    /**
     * A new outgoing call to {@code target}, DIALING; the INVITE goes out on the event thread. For a
     * transfer: {@code replaces} (RFC 3891) and the call whose REFER asked for it, else null.
     */
    Call dial(String target, String replaces, Call referredBy) {
        try {
            SipURI uri = endpoint.targetUri(target);
            Call c = new Call(agent, Call.Direction.OUTGOING, endpoint.newCallId(), SipEndpoint.tag(), uri.toString(),
                    uri.getUser(), "", "", false, RtpPorts.bind(endpoint.localAddress()), CallState.DIALING);
            c.referredBy = referredBy;
            c.replacesHeader = replaces;
            calls.put(c.callId, c);
            endpoint.run(() -> startInvite(c, uri));
            return c;
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a SIP address: " + target, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void startInvite(Call c, SipURI target) {
        try {
            stun.map(c);
            Request r = endpoint.newRequest(Request.INVITE, target, target, c.callId, 1, c.localTag);
            r.setHeader(endpoint.contact());
            r.addHeader(endpoint.headers().createAllowHeader(ALLOW));
            if (c.replacesHeader != null) {
                r.addHeader(endpoint.headers().createHeader("Replaces", c.replacesHeader));
            }
            if (c.referredBy != null) {
                r.addHeader(endpoint.headers().createHeader("Referred-By", "<" + c.referredBy.remoteUri() + ">"));
            }
            r.setContent(media.offer(c, MediaDirection.SENDRECV), endpoint.sdpType());
            sendInvite(c, r);
            endpoint.tell(l -> l.callStateChanged(c, CallState.DIALING));
        } catch (ParseException | SipException | javax.sip.InvalidArgumentException e) {
            ended(c, CallEnd.of(CallEnd.Reason.FAILED, e.getMessage()));
        }
    }

    private void sendInvite(Call c, Request r) throws SipException {
        c.invite = r;
        c.inviteTx = endpoint.provider().getNewClientTransaction(r);
        c.dialog = c.inviteTx.getDialog();
        try {
            c.inviteTx.sendRequest();
        } catch (SipException e) {
            ended(c, CallEnd.of(CallEnd.Reason.SERVER_UNREACHABLE, endpoint.unreachableReason(e)));
            return;
        }
        ClientTransaction sent = c.inviteTx;
        endpoint.schedule(() -> {
            if (c.inviteTx == sent && !c.provisionalReceived && c.state() == CallState.DIALING) {
                ended(c, CallEnd.of(CallEnd.Reason.SERVER_UNREACHABLE, endpoint.unreachableReason(null)));
            }
        }, SipEndpoint.NO_ANSWER.toMillis());
    }

    /** A response to our initial INVITE (re-INVITEs go to {@link Reinvites}). */
    void response(Call c, ResponseEvent e) throws Exception {
        Response r = e.getResponse();
        int status = r.getStatusCode();
        if (status < 200) {
            c.provisionalReceived = true;
            if (c.cancelRequested) {
                sendCancel(c);
                return;
            }
            if (status > 100 && c.state() == CallState.DIALING) {
                media.remoteAnswer(c, r.getRawContent());
                setState(c, CallState.EARLY);
            }
            return;
        }
        if (status < 300) {
            Dialog d = e.getDialog() != null ? e.getDialog() : c.dialog;
            c.dialog = d;
            long cseq = ((CSeqHeader) r.getHeader(CSeqHeader.NAME)).getSeqNumber();
            d.sendAck(d.createAck(cseq)); // RFC 3261 §13.2.2.4
            if (c.state() == CallState.ENDED || c.cancelRequested) {
                sendBye(c); // answered while we were cancelling
                return;
            }
            if (c.state().established()) {
                return; // a retransmitted 2xx
            }
            media.remoteAnswer(c, r.getRawContent());
            setState(c, CallState.ACTIVE);
            return;
        }
        if (c.state() == CallState.ENDED) {
            return;
        }
        if (status == Response.UNAUTHORIZED || status == Response.PROXY_AUTHENTICATION_REQUIRED) {
            Request retry = credentials.answer(c.invite, r);
            if (retry != null) {
                sendInvite(c, retry);
                return;
            }
        }
        ended(c, CallEnd.fromStatus(status, r.getReasonPhrase()));
    }

    private void sendCancel(Call c) {
        if (c.cancelSent) {
            return;
        }
        c.cancelSent = true;
        try {
            Request cancel = c.inviteTx.createCancel();
            endpoint.provider().getNewClientTransaction(cancel).sendRequest();
        } catch (SipException e) {
            LOG.log(System.Logger.Level.DEBUG, "CANCEL not sent", e);
        }
    }

    /** Our INVITE was never answered. */
    void inviteTimedOut(Call c) {
        ended(c, CallEnd.of(CallEnd.Reason.SERVER_UNREACHABLE, "no answer from the server"));
    }

    // ------------------------------------------------------------------ incoming

    /** An INVITE outside a dialog: a new call, or the target's side of an attended transfer. */
    void incoming(RequestEvent e) throws Exception {
        Request request = e.getRequest();
        ServerTransaction st = endpoint.serverTransaction(e);
        if (st == null) {
            return;
        }
        String callId = ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId();
        if (calls.containsKey(callId)) {
            return; // a retransmission or a fork arriving twice
        }
        Call old = null;
        Header replaces = request.getHeader("Replaces");
        if (replaces != null) {
            old = replacedCall(Replaces.parse(SipEndpoint.headerValue(replaces)));
            if (old == null) {
                st.sendResponse(endpoint.messages().createResponse(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, request));
                return;
            }
        }
        Optional<SessionDescription> offer = Optional.empty();
        if (request.getRawContent() != null && request.getRawContent().length > 0) {
            offer = Sdp.parse(new String(request.getRawContent(), StandardCharsets.UTF_8));
            if (offer.isEmpty() || Sdp.answer(offer.get(), "0.0.0.0", 1, 1, 1, MediaDirection.SENDRECV).isEmpty()) {
                st.sendResponse(endpoint.messages().createResponse(Response.NOT_ACCEPTABLE_HERE, request));
                return;
            }
        }
        Address from = ((FromHeader) request.getHeader(FromHeader.NAME)).getAddress();
        String user = from.getURI() instanceof SipURI u ? u.getUser() : from.getURI().toString();
        boolean waiting = !active().isEmpty();
        Call c = new Call(agent, Call.Direction.INCOMING, callId, SipEndpoint.tag(), from.getURI().toString(), user,
                from.getDisplayName(), queue(request), waiting, RtpPorts.bind(endpoint.localAddress()), CallState.RINGING);
        c.serverCallId = header(request, CALL_ID_HEADER);
        c.queueWait = header(request, WAIT_HEADER).matches("\\d{1,9}") ? header(request, WAIT_HEADER) : "";
        stun.map(c);
        c.invite = request;
        c.inviteServerTx = st;
        c.dialog = st.getDialog();
        c.remoteOffer = offer.orElse(null);
        calls.put(callId, c);
        if (old != null) {
            // RFC 3891 §3: the target of an attended transfer accepts the new call in place of the old one
            c.replaced = old;
            accept(c);
            endpoint.tell(l -> l.incomingCall(c));
            old.transferSucceeded = true;
            hangUpNow(old, CallEnd.of(CallEnd.Reason.REPLACED, "replaced by a call from " + user));
            return;
        }
        Response ringing = endpoint.messages().createResponse(Response.RINGING, request);
        ((ToHeader) ringing.getHeader(ToHeader.NAME)).setTag(c.localTag);
        ringing.setHeader(endpoint.contact());
        st.sendResponse(ringing);
        endpoint.tell(l -> l.incomingCall(c));
    }

    /**
     * The queue an INVITE was offered by: the value of its {@link #QUEUE_HEADER} (header names are
     * case-insensitive, RFC 3261 §7.3.1), trimmed; empty when it has none.
     */
    static String queue(Request request) {
        return header(request, QUEUE_HEADER);
    }

    /** A header's value, trimmed; empty when the request has none. */
    static String header(Request request, String name) {
        Header h = request.getHeader(name);
        return h == null ? "" : SipEndpoint.headerValue(h);
    }

    /** Our established call the Replaces value names (RFC 3891 §3), or null. */
    private Call replacedCall(Replaces replaces) {
        Call c = calls.get(replaces.callId());
        if (c == null || c.state() == CallState.ENDED || c.dialog == null) {
            return null;
        }
        return replaces.names(c.dialog) ? c : null;
    }

    void answer(Call c) {
        if (c.state() == CallState.RINGING) {
            accept(c);
        }
    }

    private void accept(Call c) {
        try {
            Response ok = endpoint.messages().createResponse(Response.OK, c.invite);
            ((ToHeader) ok.getHeader(ToHeader.NAME)).setTag(c.localTag);
            ok.setHeader(endpoint.contact());
            if (c.remoteOffer != null) {
                String answer = Sdp.answer(c.remoteOffer, c.sdpHost, c.sdpPort,
                        c.sdpSessionId, ++c.sdpVersion, c.localDirection).orElseThrow();
                ok.setContent(answer, endpoint.sdpType());
                media.answered(c, c.remoteOffer, answer);
            } else {
                ok.setContent(media.offer(c, c.localDirection), endpoint.sdpType());
                c.awaitingAnswerInAck = true; // RFC 3264 §4: the offer in our 2xx, the answer in the ACK
            }
            c.inviteServerTx.sendResponse(ok);
            c.dialog = c.inviteServerTx.getDialog();
            setState(c, CallState.ACTIVE);
        } catch (ParseException | SipException | javax.sip.InvalidArgumentException e) {
            ended(c, CallEnd.of(CallEnd.Reason.FAILED, e.getMessage()));
        }
    }

    void reject(Call c) {
        if (c.state() == CallState.RINGING) {
            endpoint.respond(c.inviteServerTx, c.invite, Response.BUSY_HERE);
            ended(c, CallEnd.of(CallEnd.Reason.REJECTED, "rejected"));
        }
    }

    /** The ACK of our 2xx; it carries the answer when our 2xx carried the offer (RFC 3264 §4). */
    void ack(Call c, Request ack) {
        if (c.awaitingAnswerInAck && ack.getRawContent() != null) {
            c.awaitingAnswerInAck = false;
            media.remoteAnswer(c, ack.getRawContent());
        }
    }

    /** The caller cancelled (its CANCEL is answered already). */
    void cancelled(Call c) {
        if (c.state() == CallState.RINGING) {
            endpoint.respond(c.inviteServerTx, c.invite, Response.REQUEST_TERMINATED); // RFC 3261 §9.2
            ended(c, CallEnd.of(CallEnd.Reason.MISSED, "caller hung up"));
        }
    }

    /** Our 2xx was never acknowledged (RFC 3261 §13.3.1.4). */
    void answerTimedOut(ServerTransaction st) {
        for (Call c : calls.values()) {
            if (c.inviteServerTx == st && c.state().established()) {
                hangUpNow(c, CallEnd.of(CallEnd.Reason.FAILED, "the caller never confirmed the answer"));
            }
        }
    }

    // ------------------------------------------------------------------ ending

    void hangUp(Call c) {
        switch (c.state()) {
            case DIALING, EARLY -> {
                c.cancelRequested = true;
                if (c.provisionalReceived) {
                    sendCancel(c); // RFC 3261 §9.1: only once a provisional response came
                }
                ended(c, CallEnd.of(CallEnd.Reason.CANCELLED, "cancelled"));
            }
            case RINGING -> {
                endpoint.respond(c.inviteServerTx, c.invite, Response.BUSY_HERE);
                ended(c, CallEnd.of(CallEnd.Reason.REJECTED, "rejected"));
            }
            case ACTIVE, HELD -> hangUpNow(c, CallEnd.of(CallEnd.Reason.LOCAL_HANGUP, "hung up"));
            case ENDED -> {
            }
        }
    }

    void drop(Call c, String why) {
        if (c.state().established()) {
            hangUpNow(c, CallEnd.of(CallEnd.Reason.CONNECTION_LOST, why));
        }
    }

    /** Ends an established call with BYE. */
    void hangUpNow(Call c, CallEnd end) {
        sendBye(c);
        ended(c, end);
    }

    private void sendBye(Call c) {
        try {
            Request bye = c.dialog.createRequest(Request.BYE);
            ClientTransaction ct = endpoint.provider().getNewClientTransaction(bye);
            c.dialog.sendRequest(ct);
        } catch (SipException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "BYE not sent", e);
        }
    }

    /** The other party hung up (its BYE is answered already). */
    void bye(Call c, Request bye) {
        ReasonHeader why = (ReasonHeader) bye.getHeader(ReasonHeader.NAME);
        boolean mediaTimeout = why != null && why.getText() != null && why.getText().contains("media timeout");
        ended(c, c.transferSucceeded ? CallEnd.of(CallEnd.Reason.TRANSFERRED, "transferred")
                : mediaTimeout ? CallEnd.of(CallEnd.Reason.CONNECTION_LOST, "the server heard no audio (media timeout)")
                : CallEnd.of(CallEnd.Reason.REMOTE_HANGUP, "hung up by the other party"));
    }

    /** JAIN-SIP gave up the dialog of an established call. */
    void dialogTerminated(Dialog dialog) {
        for (Call c : calls.values()) {
            if (c.dialog == dialog && c.state().established()) {
                ended(c, CallEnd.of(CallEnd.Reason.FAILED, "the call was lost"));
            }
        }
    }

    // ------------------------------------------------------------------ state

    void setState(Call c, CallState s) {
        if (c.state() == s || c.state() == CallState.ENDED) {
            return;
        }
        c.state(s);
        endpoint.tell(l -> l.callStateChanged(c, s));
        stateChanged.accept(c, s);
    }

    void ended(Call c, CallEnd end) {
        if (c.state() == CallState.ENDED) {
            return;
        }
        c.end(end);
        c.rtpPorts.close();
        endpoint.tell(l -> l.callStateChanged(c, CallState.ENDED));
        stateChanged.accept(c, CallState.ENDED);
        // kept a while for late responses (a 200 racing our CANCEL), then forgotten
        endpoint.schedule(() -> calls.remove(c.callId, c), 32_000);
    }
}

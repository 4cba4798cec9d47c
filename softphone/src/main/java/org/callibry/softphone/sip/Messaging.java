package org.callibry.softphone.sip;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import javax.sip.ClientTransaction;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.header.FromHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * Text messages by SIP MESSAGE (RFC 3428): out, with the server's verdict as the result of each
 * (answering a digest challenge once), and in, answered 200 and reported as {@link InstantMessage}.
 * Runs on the event thread.
 */
final class Messaging {
    private final SipEndpoint endpoint;
    private final Credentials credentials;
    /** The messages waiting for a final response, by their transaction. */
    private final Map<ClientTransaction, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();

    Messaging(SipEndpoint endpoint, Credentials credentials) {
        this.endpoint = endpoint;
        this.credentials = credentials;
    }

    /** Sends {@code text} to {@code peer}; {@code result} completes with the server's answer. */
    void send(String peer, String text, CompletableFuture<Void> result) throws javax.sip.InvalidArgumentException {
        try {
            SipURI to = endpoint.targetUri(peer);
            Request r = endpoint.newRequest(Request.MESSAGE, to, to, endpoint.newCallId(), 1, SipEndpoint.tag());
            r.setContent(text, endpoint.headers().createContentTypeHeader("text", "plain;charset=UTF-8"));
            ClientTransaction ct = endpoint.provider().getNewClientTransaction(r);
            pending.put(ct, result);
            ct.sendRequest();
        } catch (ParseException | SipException | RuntimeException e) {
            result.completeExceptionally(e);
        }
    }

    void response(ResponseEvent e) throws Exception {
        Response r = e.getResponse();
        int status = r.getStatusCode();
        if (status < 200) {
            return;
        }
        CompletableFuture<Void> result = pending.remove(e.getClientTransaction());
        if (result == null) {
            return;
        }
        if (status < 300) {
            result.complete(null);
            return;
        }
        if (status == Response.UNAUTHORIZED || status == Response.PROXY_AUTHENTICATION_REQUIRED) {
            Request retry = credentials.answer(e.getClientTransaction().getRequest(), r);
            if (retry != null) {
                ClientTransaction ct = endpoint.provider().getNewClientTransaction(retry);
                pending.put(ct, result);
                ct.sendRequest();
                return;
            }
        }
        result.completeExceptionally(new SipException("message not delivered: " + status + " " + r.getReasonPhrase()));
    }

    /** True when {@code ct} was one of our messages: it failed, the server being unreachable. */
    boolean timedOut(ClientTransaction ct) {
        CompletableFuture<Void> message = pending.remove(ct);
        if (message == null) {
            return false;
        }
        message.completeExceptionally(new SipException(Registration.SERVER_UNREACHABLE));
        return true;
    }

    void incoming(RequestEvent e) throws Exception {
        ServerTransaction st = endpoint.serverTransaction(e);
        Request r = e.getRequest();
        if (st != null) {
            st.sendResponse(endpoint.messages().createResponse(Response.OK, r));
        }
        Address from = ((FromHeader) r.getHeader(FromHeader.NAME)).getAddress();
        String user = from.getURI() instanceof SipURI u ? u.getUser() : from.getURI().toString();
        String text = r.getRawContent() == null ? "" : new String(r.getRawContent(), StandardCharsets.UTF_8);
        InstantMessage m = new InstantMessage(user, from.getURI().toString(),
                from.getDisplayName() == null ? "" : from.getDisplayName(), text, Instant.now());
        endpoint.tell(l -> l.messageReceived(m));
    }

    /** Messages still waiting for the server's answer will not get one now: the agent stops. */
    void stop() {
        pending.values().forEach(m -> m.completeExceptionally(new UserAgent.StoppedException("not confirmed: the phone stopped")));
        pending.clear();
    }
}

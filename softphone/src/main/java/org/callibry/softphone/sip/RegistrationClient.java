package org.callibry.softphone.sip;

import java.text.ParseException;
import java.time.Duration;
import java.util.ListIterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import javax.sip.ClientTransaction;
import javax.sip.ResponseEvent;
import javax.sip.SipException;
import javax.sip.address.SipURI;
import javax.sip.header.ContactHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.MinExpiresHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * Keeps the account registered (RFC 3261 §10.2): REGISTER with digest, refresh at 80 % of the granted
 * lifetime, retry after a failure other than a refusal, removal with Expires 0. Reports each change of
 * {@link Registration}. Runs on the event thread.
 */
final class RegistrationClient {
    /** After a failure other than a refusal, registration is tried again this much later. */
    static final Duration RETRY = Duration.ofSeconds(30);

    private final SipEndpoint endpoint;
    private final Credentials credentials;
    private final String tag = SipEndpoint.tag();
    private volatile Registration registration = Registration.of(RegistrationState.UNREGISTERED);
    private String callId;
    private long cseq;
    private ClientTransaction transaction;
    private ScheduledFuture<?> refreshTimer;
    private ScheduledFuture<?> noAnswerTimer;
    private boolean unregistering;
    private CompletableFuture<Void> unregistered = new CompletableFuture<>();

    RegistrationClient(SipEndpoint endpoint, Credentials credentials) {
        this.endpoint = endpoint;
        this.credentials = credentials;
    }

    /** Once the stack runs: every REGISTER of this agent carries the same Call-ID (RFC 3261 §10.2). */
    void started() {
        callId = endpoint.newCallId();
    }

    /** The registration as last reported; read from any thread. */
    Registration registration() {
        return registration;
    }

    void register() {
        unregistering = false;
        setRegistration(Registration.of(RegistrationState.REGISTERING));
        sendRegister(requestedExpiry(), null);
    }

    void unregister(CompletableFuture<Void> done) {
        SipEndpoint.cancel(refreshTimer);
        // a REGISTER still under way is overtaken by the removal (its answer no longer counts)
        if (registration.state() == RegistrationState.UNREGISTERED || registration.state() == RegistrationState.FAILED) {
            setRegistration(Registration.of(RegistrationState.UNREGISTERED));
            done.complete(null);
            return;
        }
        unregistering = true;
        unregistered = done;
        sendRegister(0, null); // RFC 3261 §10.2.2
    }

    private int requestedExpiry() {
        return (int) endpoint.account().registerExpiry().toSeconds();
    }

    private void sendRegister(int expires, Response challenge) {
        try {
            SoftphoneAccount account = endpoint.account();
            SipURI aor = endpoint.addresses().createSipURI(account.user(), account.domain());
            Request r = endpoint.newRequest(Request.REGISTER, endpoint.addresses().createSipURI(null, account.domain()), aor,
                    callId, ++cseq, tag);
            r.setHeader(endpoint.headers().createExpiresHeader(expires));
            if (challenge != null) {
                // the previous REGISTER's credentials tell whether these are a retry of the same ones
                Request answered = credentials.answer(transaction.getRequest(), challenge, previous -> ++cseq);
                if (answered == null) {
                    failed(Registration.WRONG_PASSWORD, challenge.getStatusCode(), false);
                    return;
                }
                r = answered;
            }
            transaction = endpoint.provider().getNewClientTransaction(r);
            transaction.sendRequest();
            SipEndpoint.cancel(noAnswerTimer);
            noAnswerTimer = endpoint.schedule(this::unanswered, SipEndpoint.NO_ANSWER.toMillis());
        } catch (SipException e) {
            failed(endpoint.unreachableReason(e), 0, true);
        } catch (ParseException | javax.sip.InvalidArgumentException e) {
            failed(e.getMessage(), 0, false);
        }
    }

    private void unanswered() {
        if (unregistering) {
            removed();
            return;
        }
        failed(endpoint.unreachableReason(null), 0, true);
    }

    private void removed() {
        unregistering = false;
        setRegistration(Registration.of(RegistrationState.UNREGISTERED));
        unregistered.complete(null);
    }

    private void failed(String reason, int status, boolean retry) {
        SipEndpoint.cancel(noAnswerTimer);
        SipEndpoint.cancel(refreshTimer);
        if (unregistering) {
            removed();
            return;
        }
        setRegistration(Registration.failed(reason, status));
        if (retry && !endpoint.closed()) {
            refreshTimer = endpoint.schedule(() -> sendRegister(requestedExpiry(), null), RETRY.toMillis());
        }
    }

    /** A response to a REGISTER; only the final one to the latest counts. */
    void response(ResponseEvent e) {
        Response r = e.getResponse();
        int status = r.getStatusCode();
        if (status < 200 || e.getClientTransaction() != transaction) {
            return;
        }
        SipEndpoint.cancel(noAnswerTimer);
        if (status == Response.UNAUTHORIZED || status == Response.PROXY_AUTHENTICATION_REQUIRED) {
            sendRegister(unregistering ? 0 : requestedExpiry(), r);
        } else if (status >= 200 && status < 300) {
            if (unregistering) {
                removed();
                return;
            }
            int granted = grantedExpiry(r);
            setRegistration(new Registration(RegistrationState.REGISTERED, "", status, granted));
            SipEndpoint.cancel(refreshTimer);
            refreshTimer = endpoint.schedule(() -> sendRegister(requestedExpiry(), null), Math.max(1000, granted * 800L));
        } else if (status == Response.INTERVAL_TOO_BRIEF && r.getHeader(MinExpiresHeader.NAME) instanceof MinExpiresHeader min) {
            sendRegister(min.getExpires(), null); // RFC 3261 §10.2.8
        } else if (status == Response.FORBIDDEN) {
            failed(Registration.WRONG_PASSWORD, status, false);
        } else {
            failed(r.getReasonPhrase() + " (" + status + ")", status, status >= 500);
        }
    }

    /** True when {@code ct} was our REGISTER: it timed out, and the server counts as unreachable. */
    boolean timedOut(ClientTransaction ct) {
        if (ct != transaction) {
            return false;
        }
        failed(endpoint.unreachableReason(null), 0, true);
        return true;
    }

    /** The connection to the server broke (TCP, TLS) while registering. */
    void connectionFailed() {
        if (transaction != null && registration.state() == RegistrationState.REGISTERING) {
            failed(endpoint.unreachableReason(null), 0, true);
        }
    }

    /** The lifetime the registrar granted our contact (RFC 3261 §10.2.4): its expires parameter, else Expires. */
    private int grantedExpiry(Response r) {
        ListIterator<?> it = r.getHeaders(ContactHeader.NAME);
        while (it.hasNext()) {
            ContactHeader c = (ContactHeader) it.next();
            if (c.getAddress().getURI() instanceof SipURI u && u.getPort() == endpoint.localPort()
                    && endpoint.localAddress().getHostAddress().equals(u.getHost()) && c.getExpires() > 0) {
                return c.getExpires();
            }
        }
        if (r.getHeader(ExpiresHeader.NAME) instanceof ExpiresHeader e && e.getExpires() > 0) {
            return e.getExpires();
        }
        return requestedExpiry();
    }

    private void setRegistration(Registration r) {
        boolean changed = !r.equals(registration);
        registration = r;
        if (changed) {
            endpoint.tell(l -> l.registrationChanged(r));
        }
    }
}

package org.callibry.softphone.sip;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sip.SipException;

/**
 * The softphone's SIP user agent (RFC 3261) for one account: registration with digest
 * authentication, calls (with hold, DTMF by INFO, blind and attended transfer), and text messages.
 * It runs its own JAIN-SIP stack; all SIP work and every {@link UserAgentListener} call happen on
 * one event thread of its own, so public methods return at once and may be called from any thread.
 * No JavaFX here: view models wrap it.
 *
 * <p>This is the facade over its parts, which share one {@link SipEndpoint}: {@link RegistrationClient},
 * {@link InviteSessions} with {@link Reinvites}, {@link DtmfInfo}, {@link Transfers}, {@link Messaging};
 * {@link SipEvents} hands JAIN-SIP's callbacks to them.
 */
public final class UserAgent implements AutoCloseable {
    private final SoftphoneAccount account;
    private final SipEndpoint endpoint;
    private final RegistrationClient registration;
    private final InviteSessions sessions;
    private final Reinvites reinvites;
    private final DtmfInfo dtmf;
    private final Transfers transfers;
    private final Messaging messaging;

    public UserAgent(SoftphoneAccount account, UserAgentListener listener) {
        this.account = account;
        this.endpoint = new SipEndpoint(account, listener);
        Credentials credentials = new Credentials(endpoint);
        OfferAnswer media = new OfferAnswer(endpoint);
        this.registration = new RegistrationClient(endpoint, credentials);
        this.sessions = new InviteSessions(this, endpoint, credentials, media, new StunMapping(account),
                this::callStateChanged);
        this.reinvites = new Reinvites(endpoint, sessions, media);
        this.dtmf = new DtmfInfo(endpoint);
        this.transfers = new Transfers(endpoint, sessions);
        this.messaging = new Messaging(endpoint, credentials);
    }

    /**
     * Starts the SIP stack on a free local port of the interface that reaches the server. Nothing is
     * sent yet: call {@link #register()}.
     */
    public void start() throws IOException {
        endpoint.start(new SipEvents(endpoint, registration, sessions, reinvites, dtmf, transfers, messaging));
        registration.started();
    }

    public SoftphoneAccount account() {
        return account;
    }

    /** The registration as last reported. */
    public Registration registration() {
        return registration.registration();
    }

    /** The calls not yet ended. */
    public List<Call> calls() {
        return sessions.active();
    }

    /** The local SIP address (Contact host and port). */
    public InetSocketAddress localSipAddress() {
        return new InetSocketAddress(endpoint.localAddress(), endpoint.localPort());
    }

    /** The SHA-256 fingerprint of the server certificate last refused, for an "accept this certificate" prompt. */
    public Optional<String> refusedCertificate() {
        return endpoint.refusedCertificate();
    }

    /** Registers (and keeps re-registering at 80 % of the granted lifetime) until {@link #unregister()}. */
    public void register() {
        endpoint.run(registration::register);
    }

    /** Removes the registration (REGISTER with Expires 0); completes when the server answered or gave up. */
    public CompletableFuture<Void> unregister() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        endpoint.run(() -> registration.unregister(done));
        return done;
    }

    /**
     * Calls {@code target}: a number ({@code 1002}, dialled in the account's domain), {@code user@host}
     * or a full {@code sip:} URI. The call starts DIALING.
     */
    public Call call(String target) {
        return sessions.dial(target, null, null);
    }

    /**
     * Sends a text message (SIP MESSAGE, RFC 3428) to {@code peer}; completes when the server
     * accepted it, exceptionally with the reason otherwise.
     */
    public CompletableFuture<Void> sendMessage(String peer, String text) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        if (endpoint.closed()) {
            return CompletableFuture.failedFuture(new StoppedException("not sent: the phone stopped"));
        }
        endpoint.run(() -> messaging.send(peer, text, result));
        return result;
    }

    /** A request the agent could not see through because it was stopped. */
    public static final class StoppedException extends SipException {
        public StoppedException(String message) {
            super(message);
        }
    }

    /** Hangs up every call, unregisters (waiting up to 2 s) and stops the stack. */
    @Override
    public void close() {
        if (endpoint.closed()) {
            return;
        }
        calls().forEach(this::hangUp);
        try {
            unregister().get(2, TimeUnit.SECONDS);
        } catch (Exception timeoutOrStopped) {
            // closing anyway
        }
        endpoint.close(() -> {
            sessions.releaseMedia();
            messaging.stop();
        });
    }

    /** A transfer follows the new call a REFER made us place. */
    private void callStateChanged(Call c, CallState state) {
        transfers.callStateChanged(c, state);
    }

    // ------------------------------------------------------------------ what a Call asks for

    void answer(Call c) {
        endpoint.run(() -> sessions.answer(c));
    }

    void reject(Call c) {
        endpoint.run(() -> sessions.reject(c));
    }

    void hangUp(Call c) {
        endpoint.run(() -> sessions.hangUp(c));
    }

    void drop(Call c, String why) {
        endpoint.run(() -> sessions.drop(c, why));
    }

    void hold(Call c, boolean hold) {
        endpoint.run(() -> reinvites.hold(c, hold));
    }

    void sendDtmf(Call c, char digit, int durationMillis) {
        String body = DtmfInfo.body(digit, durationMillis);
        endpoint.run(() -> dtmf.send(c, body));
    }

    void blindTransfer(Call c, String target) {
        endpoint.run(() -> transfers.blind(c, target));
    }

    void attendedTransfer(Call c, Call consultation) {
        endpoint.run(() -> transfers.attended(c, consultation));
    }
}

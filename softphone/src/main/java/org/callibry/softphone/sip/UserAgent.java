package org.callibry.softphone.sip;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.ListIterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.Address;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.Header;
import javax.sip.header.HeaderFactory;
import javax.sip.header.MinExpiresHeader;
import javax.sip.header.ProxyAuthenticateHeader;
import javax.sip.header.ProxyAuthorizationHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * The softphone's SIP user agent (RFC 3261) for one account: registration with digest
 * authentication, calls (with hold, DTMF by INFO, blind and attended transfer), and text messages.
 * It runs its own JAIN-SIP stack; all SIP work and every {@link UserAgentListener} call happen on
 * one event thread of its own, so public methods return at once and may be called from any thread.
 * No JavaFX here: view models wrap it.
 */
public final class UserAgent implements AutoCloseable {
    /** How long a request may stay unanswered before the server counts as unreachable. */
    static final Duration NO_ANSWER = Duration.ofSeconds(4);
    /** After a failure other than a refusal, registration is tried again this much later. */
    static final Duration RETRY = Duration.ofSeconds(30);
    private static final AtomicInteger STACKS = new AtomicInteger();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final System.Logger LOG = System.getLogger(UserAgent.class.getName());
    private static final String PRODUCT = "Callibry-Softphone/0.1";

    private final SoftphoneAccount account;
    private final UserAgentListener listener;
    private final ScheduledExecutorService events;
    private final String stackName;
    private final Map<String, Call> calls = new ConcurrentHashMap<>();
    private final Map<ClientTransaction, CompletableFuture<Void>> messages = new ConcurrentHashMap<>();

    private SipStack stack;
    private SipProvider provider;
    private AddressFactory addresses;
    private HeaderFactory headers;
    private MessageFactory messageFactory;
    private InetAddress localAddress;
    private int localPort;
    private TlsTrustProvider.Decision tls;

    private volatile Registration registration = Registration.of(RegistrationState.UNREGISTERED);
    private String registerCallId;
    private final String registerTag = tag();
    private long registerCseq;
    private ClientTransaction registerTx;
    private ScheduledFuture<?> registerTimer;
    private ScheduledFuture<?> noAnswerTimer;
    private boolean unregistering;
    private CompletableFuture<Void> unregistered = new CompletableFuture<>();
    private volatile boolean closed;

    public UserAgent(SoftphoneAccount account, UserAgentListener listener) {
        this.account = account;
        this.listener = listener;
        this.stackName = "callibry-softphone-" + account.user() + "-" + STACKS.incrementAndGet();
        this.events = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, stackName);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts the SIP stack on a free local port of the interface that reaches the server. Nothing is
     * sent yet: call {@link #register()}.
     */
    public void start() throws IOException {
        try {
            localAddress = routeTo(account.serverHost(), account.serverPort());
            localPort = freePort(localAddress);
            SipFactory factory = SipFactory.getInstance();
            factory.setPathName("gov.nist");
            Properties p = new Properties();
            // JAIN-SIP's factory hands back an existing stack of the same name: one name per agent
            p.setProperty("javax.sip.STACK_NAME", stackName);
            p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "on");
            p.setProperty("javax.sip.OUTBOUND_PROXY",
                    account.serverHost() + ":" + account.serverPort() + "/" + account.transport().sipName());
            p.setProperty("gov.nist.javax.sip.STACK_LOGGER", StackLog.class.getName());
            p.setProperty("gov.nist.javax.sip.SERVER_LOGGER", StackLog.class.getName());
            p.setProperty("gov.nist.javax.sip.TRACE_LEVEL", Boolean.getBoolean("callibry.softphone.sip.trace") ? "32" : "0");
            p.setProperty("gov.nist.javax.sip.LOG_MESSAGE_CONTENT", "true");
            p.setProperty("gov.nist.javax.sip.CACHE_CLIENT_CONNECTIONS", "true");
            p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "2");
            // the transferee's NOTIFYs (RFC 3515) may come after the REFER transaction is gone
            p.setProperty("gov.nist.javax.sip.DELIVER_UNSOLICITED_NOTIFY", "true");
            if (account.transport() == Transport.TLS) {
                tls = TlsTrustProvider.register(stackName, account.tlsTrust(), account.serverHost());
                p.setProperty("gov.nist.javax.sip.NETWORK_LAYER", TlsNetworkLayer.class.getName());
                p.setProperty("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE", "Disabled");
                p.setProperty("gov.nist.javax.sip.TLS_CLIENT_PROTOCOLS", "TLSv1.2,TLSv1.3");
                p.setProperty("gov.nist.javax.sip.ENABLED_CIPHER_SUITES", String.join(",",
                        "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
                        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"));
            }
            stack = factory.createSipStack(p);
            addresses = factory.createAddressFactory();
            headers = factory.createHeaderFactory();
            messageFactory = factory.createMessageFactory();
            ListeningPoint lp = stack.createListeningPoint(localAddress.getHostAddress(), localPort, account.transport().sipName());
            provider = stack.createSipProvider(lp);
            provider.addSipListener(new Events());
            registerCallId = provider.getNewCallId().getCallId();
        } catch (javax.sip.PeerUnavailableException | javax.sip.TransportNotSupportedException
                 | javax.sip.InvalidArgumentException | javax.sip.ObjectInUseException | java.util.TooManyListenersException e) {
            throw new IOException("cannot start the SIP stack: " + e.getMessage(), e);
        }
    }

    public SoftphoneAccount account() {
        return account;
    }

    /** The registration as last reported. */
    public Registration registration() {
        return registration;
    }

    /** The calls not yet ended. */
    public List<Call> calls() {
        return calls.values().stream().filter(c -> c.state() != CallState.ENDED).toList();
    }

    /** The local SIP address (Contact host and port). */
    public InetSocketAddress localSipAddress() {
        return new InetSocketAddress(localAddress, localPort);
    }

    /** The SHA-256 fingerprint of the server certificate last refused, for an "accept this certificate" prompt. */
    public Optional<String> refusedCertificate() {
        return tls == null ? Optional.empty() : Optional.ofNullable(tls.refusedFingerprint);
    }

    /** Registers (and keeps re-registering at 80 % of the granted lifetime) until {@link #unregister()}. */
    public void register() {
        run(() -> {
            unregistering = false;
            setRegistration(Registration.of(RegistrationState.REGISTERING));
            sendRegister((int) account.registerExpiry().toSeconds(), null);
        });
    }

    /** Removes the registration (REGISTER with Expires 0); completes when the server answered or gave up. */
    public CompletableFuture<Void> unregister() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        run(() -> {
            cancel(registerTimer);
            // a REGISTER still under way is overtaken by the removal (its answer no longer counts)
            if (registration.state() == RegistrationState.UNREGISTERED || registration.state() == RegistrationState.FAILED) {
                setRegistration(Registration.of(RegistrationState.UNREGISTERED));
                done.complete(null);
                return;
            }
            unregistering = true;
            unregistered = done;
            sendRegister(0, null);
        });
        return done;
    }

    /**
     * Calls {@code target}: a number ({@code 1002}, dialled in the account's domain), {@code user@host}
     * or a full {@code sip:} URI. The call starts DIALING.
     */
    public Call call(String target) {
        return call(target, null, null);
    }

    private Call call(String target, String replaces, Call referredBy) {
        try {
            SipURI uri = targetUri(target);
            Call c = new Call(this, Call.Direction.OUTGOING, provider.getNewCallId().getCallId(), tag(), uri.toString(),
                    uri.getUser(), "", false, RtpPorts.bind(localAddress), CallState.DIALING);
            c.referredBy = referredBy;
            c.replacesHeader = replaces;
            calls.put(c.callId, c);
            run(() -> startInvite(c, uri));
            return c;
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a SIP address: " + target, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends a text message (SIP MESSAGE, RFC 3428) to {@code peer}; completes when the server
     * accepted it, exceptionally with the reason otherwise.
     */
    public CompletableFuture<Void> sendMessage(String peer, String text) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        if (closed) {
            return CompletableFuture.failedFuture(new StoppedException("not sent: the phone stopped"));
        }
        run(() -> {
            try {
                SipURI to = targetUri(peer);
                Request r = newRequest(Request.MESSAGE, to, to, provider.getNewCallId().getCallId(), 1, tag());
                r.setContent(text, headers.createContentTypeHeader("text", "plain;charset=UTF-8"));
                ClientTransaction ct = provider.getNewClientTransaction(r);
                messages.put(ct, result);
                ct.sendRequest();
            } catch (ParseException | SipException | RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
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
        if (closed) {
            return;
        }
        calls().forEach(this::hangUp);
        try {
            unregister().get(2, TimeUnit.SECONDS);
        } catch (Exception timeoutOrStopped) {
            // closing anyway
        }
        closed = true;
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        events.execute(() -> {
            calls.values().forEach(c -> c.rtpPorts.close());
            // messages still waiting for the server's answer will not get one now
            messages.values().forEach(m -> m.completeExceptionally(new StoppedException("not confirmed: the phone stopped")));
            messages.clear();
            if (stack != null) {
                stack.stop();
            }
            TlsTrustProvider.unregister(stackName);
            stopped.complete(null);
        });
        try {
            stopped.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the executor is shut down below anyway
        }
        events.shutdownNow();
    }

    // ------------------------------------------------------------------ registration

    private void sendRegister(int expires, Response challenge) {
        try {
            SipURI aor = addresses.createSipURI(account.user(), account.domain());
            Request r = newRequest(Request.REGISTER, addresses.createSipURI(null, account.domain()), aor, registerCallId,
                    ++registerCseq, registerTag);
            r.setHeader(headers.createExpiresHeader(expires));
            if (challenge != null) {
                // the previous REGISTER's credentials tell whether these are a retry of the same ones
                Request answered = withCredentials(registerTx.getRequest(), challenge);
                if (answered == null) {
                    registrationFailed(Registration.WRONG_PASSWORD, challenge.getStatusCode(), false);
                    return;
                }
                r = answered;
            }
            registerTx = provider.getNewClientTransaction(r);
            registerTx.sendRequest();
            cancel(noAnswerTimer);
            noAnswerTimer = events.schedule(this::registerUnanswered, NO_ANSWER.toMillis(), TimeUnit.MILLISECONDS);
        } catch (SipException e) {
            registrationFailed(unreachableReason(e), 0, true);
        } catch (ParseException | javax.sip.InvalidArgumentException e) {
            registrationFailed(e.getMessage(), 0, false);
        }
    }

    private void registerUnanswered() {
        if (unregistering) {
            unregistering = false;
            setRegistration(Registration.of(RegistrationState.UNREGISTERED));
            unregistered.complete(null);
            return;
        }
        registrationFailed(unreachableReason(null), 0, true);
    }

    private String unreachableReason(Throwable cause) {
        if (tls != null && tls.refusal != null) {
            return Registration.CERTIFICATE_NOT_TRUSTED;
        }
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException || t instanceof java.security.cert.CertificateException) {
                return Registration.CERTIFICATE_NOT_TRUSTED;
            }
        }
        return Registration.SERVER_UNREACHABLE;
    }

    private void registrationFailed(String reason, int status, boolean retry) {
        cancel(noAnswerTimer);
        cancel(registerTimer);
        if (unregistering) {
            unregistering = false;
            setRegistration(Registration.of(RegistrationState.UNREGISTERED));
            unregistered.complete(null);
            return;
        }
        setRegistration(Registration.failed(reason, status));
        if (retry && !closed) {
            registerTimer = events.schedule(() -> sendRegister((int) account.registerExpiry().toSeconds(), null),
                    RETRY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void registerResponse(ResponseEvent e) {
        Response r = e.getResponse();
        int status = r.getStatusCode();
        if (status < 200 || e.getClientTransaction() != registerTx) {
            return;
        }
        cancel(noAnswerTimer);
        if (status == Response.UNAUTHORIZED || status == Response.PROXY_AUTHENTICATION_REQUIRED) {
            sendRegister(unregistering ? 0 : (int) account.registerExpiry().toSeconds(), r);
        } else if (status >= 200 && status < 300) {
            if (unregistering) {
                unregistering = false;
                setRegistration(Registration.of(RegistrationState.UNREGISTERED));
                unregistered.complete(null);
                return;
            }
            int granted = grantedExpiry(r);
            setRegistration(new Registration(RegistrationState.REGISTERED, "", status, granted));
            cancel(registerTimer);
            registerTimer = events.schedule(() -> sendRegister((int) account.registerExpiry().toSeconds(), null),
                    Math.max(1000, granted * 800L), TimeUnit.MILLISECONDS);
        } else if (status == Response.INTERVAL_TOO_BRIEF && r.getHeader(MinExpiresHeader.NAME) instanceof MinExpiresHeader min) {
            sendRegister(min.getExpires(), null); // RFC 3261 §10.2.8
        } else if (status == Response.FORBIDDEN) {
            registrationFailed(Registration.WRONG_PASSWORD, status, false);
        } else {
            registrationFailed(r.getReasonPhrase() + " (" + status + ")", status, status >= 500);
        }
    }

    /** The lifetime the registrar granted our contact (RFC 3261 §10.2.4): its expires parameter, else Expires. */
    private int grantedExpiry(Response r) {
        ListIterator<?> it = r.getHeaders(ContactHeader.NAME);
        while (it.hasNext()) {
            ContactHeader c = (ContactHeader) it.next();
            if (c.getAddress().getURI() instanceof SipURI u && u.getPort() == localPort
                    && localAddress.getHostAddress().equals(u.getHost()) && c.getExpires() > 0) {
                return c.getExpires();
            }
        }
        if (r.getHeader(ExpiresHeader.NAME) instanceof ExpiresHeader e && e.getExpires() > 0) {
            return e.getExpires();
        }
        return (int) account.registerExpiry().toSeconds();
    }

    private void setRegistration(Registration r) {
        boolean changed = !r.equals(registration);
        registration = r;
        if (changed) {
            notifyListener(() -> listener.registrationChanged(r));
        }
    }

    // ------------------------------------------------------------------ digest (RFC 3261 §22.2, §22.3)

    /**
     * {@code original} again with credentials for the challenge in {@code challenge}, a new CSeq and a
     * new branch; null when the same credentials were refused already (the challenge is not stale) or
     * no challenge can be answered.
     */
    private Request withCredentials(Request original, Response challenge) throws ParseException, javax.sip.InvalidArgumentException, SipException {
        boolean proxy = challenge.getStatusCode() == Response.PROXY_AUTHENTICATION_REQUIRED;
        String challengeName = proxy ? ProxyAuthenticateHeader.NAME : WWWAuthenticateHeader.NAME;
        String answerName = proxy ? ProxyAuthorizationHeader.NAME : AuthorizationHeader.NAME;
        WWWAuthenticateHeader chosen = null;
        ListIterator<?> it = challenge.getHeaders(challengeName);
        while (it.hasNext()) {
            WWWAuthenticateHeader h = (WWWAuthenticateHeader) it.next();
            if ("Digest".equalsIgnoreCase(h.getScheme()) && DigestAnswer.supports(h.getAlgorithm())) {
                chosen = h;
                break;
            }
        }
        if (chosen == null) {
            return null;
        }
        if (original.getHeader(answerName) instanceof AuthorizationHeader previous
                && chosen.getRealm().equals(previous.getRealm()) && !chosen.isStale()) {
            return null;
        }
        Request r = (Request) original.clone();
        r.removeHeader(answerName);
        CSeqHeader cseq = (CSeqHeader) r.getHeader(CSeqHeader.NAME);
        long next = cseq.getSeqNumber() + 1;
        if (Request.REGISTER.equals(r.getMethod())) {
            next = ++registerCseq;
        }
        cseq.setSeqNumber(next);
        r.removeHeader(ViaHeader.NAME);
        r.addHeader(via());
        String uri = r.getRequestURI().toString();
        String qop = DigestAnswer.chooseQop(chosen.getQop());
        String cnonce = DigestAnswer.newCnonce();
        String nc = "00000001";
        AuthorizationHeader a = proxy ? headers.createProxyAuthorizationHeader("Digest") : headers.createAuthorizationHeader("Digest");
        a.setUsername(account.user());
        a.setRealm(chosen.getRealm());
        a.setNonce(chosen.getNonce());
        a.setURI(r.getRequestURI());
        if (chosen.getAlgorithm() != null) {
            a.setAlgorithm(chosen.getAlgorithm());
        }
        if (chosen.getOpaque() != null) {
            a.setOpaque(chosen.getOpaque());
        }
        if (qop != null) {
            a.setQop(qop);
            a.setCNonce(cnonce);
            a.setNonceCount(1);
        }
        a.setResponse(DigestAnswer.response(chosen.getAlgorithm(), account.user(), chosen.getRealm(), account.password(),
                r.getMethod(), uri, chosen.getNonce(), qop, nc, cnonce));
        r.addHeader(a);
        return r;
    }

    // ------------------------------------------------------------------ outgoing calls

    private void startInvite(Call c, SipURI target) {
        try {
            publicMediaAddress(c);
            Request r = newRequest(Request.INVITE, target, target, c.callId, 1, c.localTag);
            r.setHeader(contact());
            r.addHeader(headers.createAllowHeader("INVITE, ACK, CANCEL, BYE, OPTIONS, MESSAGE, INFO, REFER, NOTIFY"));
            if (c.replacesHeader != null) {
                r.addHeader(headers.createHeader("Replaces", c.replacesHeader));
            }
            if (c.referredBy != null) {
                r.addHeader(headers.createHeader("Referred-By", "<" + c.referredBy.remoteUri() + ">"));
            }
            r.setContent(offer(c, MediaDirection.SENDRECV), sdpType());
            sendInvite(c, r);
            notifyListener(() -> listener.callStateChanged(c, CallState.DIALING));
        } catch (ParseException | SipException | javax.sip.InvalidArgumentException e) {
            ended(c, CallEnd.of(CallEnd.Reason.FAILED, e.getMessage()));
        }
    }

    private void sendInvite(Call c, Request r) throws SipException {
        c.invite = r;
        c.inviteTx = provider.getNewClientTransaction(r);
        c.dialog = c.inviteTx.getDialog();
        try {
            c.inviteTx.sendRequest();
        } catch (SipException e) {
            ended(c, CallEnd.of(CallEnd.Reason.SERVER_UNREACHABLE, unreachableReason(e)));
            return;
        }
        ClientTransaction sent = c.inviteTx;
        events.schedule(() -> {
            if (c.inviteTx == sent && !c.provisionalReceived && c.state() == CallState.DIALING) {
                ended(c, CallEnd.of(CallEnd.Reason.SERVER_UNREACHABLE, unreachableReason(null)));
            }
        }, NO_ANSWER.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void inviteResponse(Call c, ResponseEvent e) throws Exception {
        Response r = e.getResponse();
        int status = r.getStatusCode();
        if (e.getClientTransaction() != null && e.getClientTransaction() == c.reinviteTx) {
            reinviteResponse(c, e);
            return;
        }
        if (status < 200) {
            c.provisionalReceived = true;
            if (c.cancelRequested) {
                sendCancel(c);
                return;
            }
            if (status > 100 && c.state() == CallState.DIALING) {
                updateRemoteMedia(c, r.getRawContent(), false);
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
            updateRemoteMedia(c, r.getRawContent(), true);
            setState(c, CallState.ACTIVE);
            return;
        }
        if (c.state() == CallState.ENDED) {
            return;
        }
        if (status == Response.UNAUTHORIZED || status == Response.PROXY_AUTHENTICATION_REQUIRED) {
            Request retry = withCredentials(c.invite, r);
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
            provider.getNewClientTransaction(cancel).sendRequest();
        } catch (SipException e) {
            LOG.log(System.Logger.Level.DEBUG, "CANCEL not sent", e);
        }
    }

    // ------------------------------------------------------------------ incoming calls

    private void incomingInvite(RequestEvent e) throws Exception {
        Request request = e.getRequest();
        ServerTransaction st = serverTransaction(e);
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
            old = replacedCall(headerValue(replaces));
            if (old == null) {
                st.sendResponse(messageFactory.createResponse(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, request));
                return;
            }
        }
        Optional<SessionDescription> offer = Optional.empty();
        if (request.getRawContent() != null && request.getRawContent().length > 0) {
            offer = Sdp.parse(new String(request.getRawContent(), StandardCharsets.UTF_8));
            if (offer.isEmpty() || Sdp.answer(offer.get(), "0.0.0.0", 1, 1, 1, MediaDirection.SENDRECV).isEmpty()) {
                st.sendResponse(messageFactory.createResponse(Response.NOT_ACCEPTABLE_HERE, request));
                return;
            }
        }
        Address from = ((FromHeader) request.getHeader(FromHeader.NAME)).getAddress();
        String user = from.getURI() instanceof SipURI u ? u.getUser() : from.getURI().toString();
        boolean waiting = calls().stream().anyMatch(c -> c.state() != CallState.ENDED);
        Call c = new Call(this, Call.Direction.INCOMING, callId, tag(), from.getURI().toString(), user, from.getDisplayName(),
                waiting, RtpPorts.bind(localAddress), CallState.RINGING);
        publicMediaAddress(c);
        c.invite = request;
        c.inviteServerTx = st;
        c.dialog = st.getDialog();
        c.remoteOffer = offer.orElse(null);
        calls.put(callId, c);
        if (old != null) {
            // RFC 3891 §3: the target of an attended transfer accepts the new call in place of the old one
            c.replaced = old;
            accept(c);
            notifyListener(() -> listener.incomingCall(c));
            old.transferSucceeded = true;
            hangUpNow(old, CallEnd.of(CallEnd.Reason.REPLACED, "replaced by a call from " + user));
            return;
        }
        Response ringing = messageFactory.createResponse(Response.RINGING, request);
        ((ToHeader) ringing.getHeader(ToHeader.NAME)).setTag(c.localTag);
        ringing.setHeader(contact());
        st.sendResponse(ringing);
        notifyListener(() -> listener.incomingCall(c));
    }

    /** The call an RFC 3891 Replaces value names: Call-ID, our tag as to-tag, theirs as from-tag. */
    private Call replacedCall(String value) {
        String[] parts = value.split(";");
        Call c = calls.get(parts[0].trim());
        if (c == null || c.state() == CallState.ENDED || c.dialog == null) {
            return null;
        }
        String toTag = null;
        String fromTag = null;
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].trim().split("=", 2);
            if (kv.length == 2 && kv[0].equalsIgnoreCase("to-tag")) {
                toTag = kv[1];
            } else if (kv.length == 2 && kv[0].equalsIgnoreCase("from-tag")) {
                fromTag = kv[1];
            }
        }
        return c.dialog.getLocalTag() != null && c.dialog.getLocalTag().equals(toTag)
                && c.dialog.getRemoteTag() != null && c.dialog.getRemoteTag().equals(fromTag) ? c : null;
    }

    void answer(Call c) {
        run(() -> {
            if (c.state() == CallState.RINGING) {
                accept(c);
            }
        });
    }

    private void accept(Call c) {
        try {
            Response ok = messageFactory.createResponse(Response.OK, c.invite);
            ((ToHeader) ok.getHeader(ToHeader.NAME)).setTag(c.localTag);
            ok.setHeader(contact());
            if (c.remoteOffer != null) {
                String answer = Sdp.answer(c.remoteOffer, c.sdpHost, c.sdpPort,
                        c.sdpSessionId, ++c.sdpVersion, c.localDirection).orElseThrow();
                ok.setContent(answer, sdpType());
                applyMedia(c, c.remoteOffer, answer);
            } else {
                ok.setContent(offer(c, c.localDirection), sdpType());
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
        run(() -> {
            if (c.state() == CallState.RINGING) {
                respond(c.inviteServerTx, c.invite, Response.BUSY_HERE);
                ended(c, CallEnd.of(CallEnd.Reason.REJECTED, "rejected"));
            }
        });
    }

    void hangUp(Call c) {
        run(() -> {
            switch (c.state()) {
                case DIALING, EARLY -> {
                    c.cancelRequested = true;
                    if (c.provisionalReceived) {
                        sendCancel(c); // RFC 3261 §9.1: only once a provisional response came
                    }
                    ended(c, CallEnd.of(CallEnd.Reason.CANCELLED, "cancelled"));
                }
                case RINGING -> {
                    respond(c.inviteServerTx, c.invite, Response.BUSY_HERE);
                    ended(c, CallEnd.of(CallEnd.Reason.REJECTED, "rejected"));
                }
                case ACTIVE, HELD -> hangUpNow(c, CallEnd.of(CallEnd.Reason.LOCAL_HANGUP, "hung up"));
                case ENDED -> {
                }
            }
        });
    }

    void drop(Call c, String why) {
        run(() -> {
            if (c.state().established()) {
                hangUpNow(c, CallEnd.of(CallEnd.Reason.CONNECTION_LOST, why));
            }
        });
    }

    private void hangUpNow(Call c, CallEnd end) {
        sendBye(c);
        ended(c, end);
    }

    private void sendBye(Call c) {
        try {
            Request bye = c.dialog.createRequest(Request.BYE);
            ClientTransaction ct = provider.getNewClientTransaction(bye);
            c.dialog.sendRequest(ct);
        } catch (SipException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "BYE not sent", e);
        }
    }

    // ------------------------------------------------------------------ hold (RFC 3264 §8.4)

    void hold(Call c, boolean hold) {
        run(() -> {
            CallState wanted = hold ? CallState.HELD : CallState.ACTIVE;
            if (!c.state().established() || c.state() == wanted || c.reinviteTx != null) {
                return;
            }
            c.localDirection = hold ? MediaDirection.SENDONLY : MediaDirection.SENDRECV;
            sendReinvite(c);
        });
    }

    private void sendReinvite(Call c) {
        try {
            Request r = c.dialog.createRequest(Request.INVITE);
            r.setHeader(contact());
            r.setContent(offer(c, c.localDirection), sdpType());
            c.reinviteTx = provider.getNewClientTransaction(r);
            c.dialog.sendRequest(c.reinviteTx);
        } catch (ParseException | SipException e) {
            c.reinviteTx = null;
            LOG.log(System.Logger.Level.WARNING, "re-INVITE not sent: {0}", e.getMessage());
        }
    }

    private void reinviteResponse(Call c, ResponseEvent e) throws Exception {
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
            updateRemoteMedia(c, r.getRawContent(), true);
            setState(c, c.localDirection == MediaDirection.SENDRECV ? CallState.ACTIVE : CallState.HELD);
        } else if (status == Response.REQUEST_PENDING) {
            // RFC 3261 §14.1: glare, try again after a random 2.1-4 s
            events.schedule(() -> {
                if (c.state().established() && c.reinviteTx == null) {
                    sendReinvite(c);
                }
            }, 2100 + RANDOM.nextInt(1900), TimeUnit.MILLISECONDS);
        } else if (status == Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST || status == Response.REQUEST_TIMEOUT) {
            ended(c, CallEnd.fromStatus(status, r.getReasonPhrase())); // RFC 3261 §14.1: the dialog is gone
        } else {
            c.localDirection = c.state() == CallState.HELD ? MediaDirection.SENDONLY : MediaDirection.SENDRECV;
        }
    }

    private void incomingReinvite(Call c, RequestEvent e) throws Exception {
        ServerTransaction st = serverTransaction(e);
        if (st == null) {
            return;
        }
        Request request = e.getRequest();
        Response ok = messageFactory.createResponse(Response.OK, request);
        ok.setHeader(contact());
        byte[] body = request.getRawContent();
        if (body != null && body.length > 0) {
            Optional<SessionDescription> offer = Sdp.parse(new String(body, StandardCharsets.UTF_8));
            Optional<String> answer = offer.flatMap(o -> Sdp.answer(o, c.sdpHost, c.sdpPort,
                    c.sdpSessionId, ++c.sdpVersion, c.localDirection));
            if (answer.isEmpty()) {
                st.sendResponse(messageFactory.createResponse(Response.NOT_ACCEPTABLE_HERE, request));
                return;
            }
            ok.setContent(answer.get(), sdpType());
            st.sendResponse(ok);
            applyMedia(c, offer.get(), answer.get());
        } else {
            ok.setContent(offer(c, c.localDirection), sdpType());
            c.awaitingAnswerInAck = true;
            st.sendResponse(ok);
        }
    }

    // ------------------------------------------------------------------ DTMF by INFO

    void sendDtmf(Call c, char digit, int durationMillis) {
        if ("0123456789*#ABCDabcd".indexOf(digit) < 0) {
            throw new IllegalArgumentException("not a DTMF digit: " + digit);
        }
        run(() -> {
            if (!c.state().established()) {
                return;
            }
            c.dtmfQueue.add("Signal=" + Character.toUpperCase(digit) + "\r\nDuration=" + durationMillis + "\r\n");
            sendNextDtmf(c);
        });
    }

    /**
     * One INFO at a time per call: a later one overtaking an earlier one on the way would make the
     * earlier one arrive with a lower CSeq and be refused (RFC 3261 §12.2.2).
     */
    private void sendNextDtmf(Call c) {
        if (c.infoTx != null || c.dtmfQueue.isEmpty() || !c.state().established()) {
            return;
        }
        try {
            Request info = c.dialog.createRequest(Request.INFO);
            info.setContent(c.dtmfQueue.poll(), headers.createContentTypeHeader("application", "dtmf-relay"));
            c.infoTx = provider.getNewClientTransaction(info);
            c.dialog.sendRequest(c.infoTx);
        } catch (ParseException | SipException e) {
            c.infoTx = null;
            LOG.log(System.Logger.Level.WARNING, "INFO not sent: {0}", e.getMessage());
        }
    }

    private void incomingInfo(Call c, RequestEvent e) throws Exception {
        ServerTransaction st = serverTransaction(e);
        Request r = e.getRequest();
        ContentTypeHeader type = (ContentTypeHeader) r.getHeader(ContentTypeHeader.NAME);
        String body = r.getRawContent() == null ? "" : new String(r.getRawContent(), StandardCharsets.UTF_8);
        char digit = 0;
        int duration = 160;
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
            st.sendResponse(messageFactory.createResponse(Response.OK, r));
        }
        if (digit != 0) {
            char d = digit;
            int ms = duration;
            notifyListener(() -> listener.dtmfReceived(c, d, ms));
        }
    }

    // ------------------------------------------------------------------ transfer (RFC 3515, RFC 5589)

    void blindTransfer(Call c, String target) {
        run(() -> {
            try {
                sendRefer(c, "<" + targetUri(target) + ">");
            } catch (ParseException e) {
                transferFailed(c, "not a SIP address: " + target);
            }
        });
    }

    void attendedTransfer(Call c, Call consultation) {
        run(() -> {
            if (consultation.dialog == null || !consultation.state().established()) {
                transferFailed(c, "the consultation call is not established");
                return;
            }
            // RFC 3891 §3 from the target's view: its tag is the to-tag, ours the from-tag
            String replaces = consultation.callId + ";to-tag=" + consultation.dialog.getRemoteTag()
                    + ";from-tag=" + consultation.dialog.getLocalTag();
            String uri = consultation.remoteUri();
            consultation.transferRole = TransferProgress.Role.TRANSFEROR;
            sendRefer(c, "<" + uri + "?Replaces=" + escape(replaces) + ">");
        });
    }

    private void sendRefer(Call c, String referTo) {
        if (!c.state().established()) {
            transferFailed(c, "the call is not established");
            return;
        }
        try {
            Request refer = c.dialog.createRequest(Request.REFER);
            refer.addHeader(headers.createHeader("Refer-To", referTo));
            refer.addHeader(headers.createHeader("Referred-By", "<" + account.addressOfRecord() + ">"));
            refer.setHeader(contact());
            c.transferRole = TransferProgress.Role.TRANSFEROR;
            c.dialog.sendRequest(provider.getNewClientTransaction(refer));
        } catch (ParseException | SipException e) {
            transferFailed(c, e.getMessage());
        }
    }

    private void transferFailed(Call c, String why) {
        TransferProgress p = new TransferProgress(TransferProgress.Role.TRANSFEROR, 0, why, true, null);
        notifyListener(() -> listener.transferProgress(c, p));
    }

    private void referResponse(Call c, Response r) {
        int status = r.getStatusCode();
        if (status < 200) {
            return;
        }
        TransferProgress p = new TransferProgress(TransferProgress.Role.TRANSFEROR, status, r.getReasonPhrase(),
                status >= 300, null);
        notifyListener(() -> listener.transferProgress(c, p));
    }

    /** The transferor learns from NOTIFY with a sipfrag (RFC 3515 §2.4.5) how the transferee's new call went. */
    private void incomingNotify(Call c, RequestEvent e) throws Exception {
        ServerTransaction st = serverTransaction(e);
        Request r = e.getRequest();
        if (st != null) {
            st.sendResponse(messageFactory.createResponse(Response.OK, r));
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
        notifyListener(() -> listener.transferProgress(c, p));
        if (done && status < 300 && c.state().established()) {
            c.transferSucceeded = true;
            // RFC 5589 §6.1: the transfer worked, the transferor leaves
            calls.values().stream().filter(o -> o.transferRole == TransferProgress.Role.TRANSFEROR && o != c
                    && o.state().established()).forEach(o -> o.transferSucceeded = true);
            hangUpNow(c, CallEnd.of(CallEnd.Reason.TRANSFERRED, "transferred"));
        }
    }

    /** The transferee accepts the REFER (202) and places the new call, reporting it back by NOTIFY. */
    private void incomingRefer(Call c, RequestEvent e) throws Exception {
        ServerTransaction st = serverTransaction(e);
        Request r = e.getRequest();
        Header referTo = r.getHeader("Refer-To");
        if (st == null) {
            return;
        }
        if (referTo == null) {
            st.sendResponse(messageFactory.createResponse(Response.BAD_REQUEST, r));
            return;
        }
        Address target = addresses.createAddress(headerValue(referTo));
        if (!(target.getURI() instanceof SipURI uri)) {
            st.sendResponse(messageFactory.createResponse(Response.UNSUPPORTED_URI_SCHEME, r));
            return;
        }
        st.sendResponse(messageFactory.createResponse(Response.ACCEPTED, r));
        String replaces = uri.getHeader("Replaces");
        SipURI plain = addresses.createSipURI(uri.getUser(), uri.getHost());
        if (uri.getPort() > 0) {
            plain.setPort(uri.getPort());
        }
        sendReferNotify(c, "SIP/2.0 100 Trying", false);
        Call next = call(plain.toString(), replaces == null ? null : URLDecoder.decode(replaces, StandardCharsets.UTF_8), c);
        c.transferRole = TransferProgress.Role.TRANSFEREE;
        TransferProgress p = new TransferProgress(TransferProgress.Role.TRANSFEREE, Response.ACCEPTED, "calling " + uri.getUser(),
                false, next);
        notifyListener(() -> listener.transferProgress(c, p));
    }

    private void sendReferNotify(Call c, String sipfrag, boolean terminated) {
        if (c.state() == CallState.ENDED) {
            return;
        }
        try {
            Request n = c.dialog.createRequest(Request.NOTIFY);
            n.addHeader(headers.createEventHeader("refer"));
            n.addHeader(headers.createSubscriptionStateHeader(terminated ? "terminated;reason=noresource" : "active;expires=60"));
            n.setHeader(contact());
            n.setContent(sipfrag + "\r\n", headers.createContentTypeHeader("message", "sipfrag;version=2.0"));
            c.dialog.sendRequest(provider.getNewClientTransaction(n));
        } catch (ParseException | SipException e) {
            LOG.log(System.Logger.Level.DEBUG, "NOTIFY not sent", e);
        }
    }

    /** Keeps the transferor informed of the new call a REFER made us place. */
    private void referredCallChanged(Call next, CallState state) {
        Call original = next.referredBy;
        if (original == null) {
            return;
        }
        if (state == CallState.ACTIVE) {
            next.referredBy = null;
            original.transferSucceeded = true;
            sendReferNotify(original, "SIP/2.0 200 OK", true);
            TransferProgress p = new TransferProgress(TransferProgress.Role.TRANSFEREE, 200, "OK", true, next);
            notifyListener(() -> listener.transferProgress(original, p));
        } else if (state == CallState.ENDED) {
            next.referredBy = null;
            int status = next.end().map(CallEnd::status).filter(s -> s > 0).orElse(Response.REQUEST_TERMINATED);
            sendReferNotify(original, "SIP/2.0 " + status + " " + next.end().map(CallEnd::text).orElse(""), true);
            TransferProgress p = new TransferProgress(TransferProgress.Role.TRANSFEREE, status,
                    next.end().map(CallEnd::text).orElse(""), true, next);
            notifyListener(() -> listener.transferProgress(original, p));
        }
    }

    // ------------------------------------------------------------------ messages (RFC 3428)

    private void incomingMessage(RequestEvent e) throws Exception {
        ServerTransaction st = serverTransaction(e);
        Request r = e.getRequest();
        if (st != null) {
            st.sendResponse(messageFactory.createResponse(Response.OK, r));
        }
        Address from = ((FromHeader) r.getHeader(FromHeader.NAME)).getAddress();
        String user = from.getURI() instanceof SipURI u ? u.getUser() : from.getURI().toString();
        String text = r.getRawContent() == null ? "" : new String(r.getRawContent(), StandardCharsets.UTF_8);
        InstantMessage m = new InstantMessage(user, from.getURI().toString(),
                from.getDisplayName() == null ? "" : from.getDisplayName(), text, Instant.now());
        notifyListener(() -> listener.messageReceived(m));
    }

    private void messageResponse(ResponseEvent e) throws Exception {
        Response r = e.getResponse();
        int status = r.getStatusCode();
        if (status < 200) {
            return;
        }
        CompletableFuture<Void> result = messages.remove(e.getClientTransaction());
        if (result == null) {
            return;
        }
        if (status < 300) {
            result.complete(null);
            return;
        }
        if (status == Response.UNAUTHORIZED || status == Response.PROXY_AUTHENTICATION_REQUIRED) {
            Request retry = withCredentials(e.getClientTransaction().getRequest(), r);
            if (retry != null) {
                ClientTransaction ct = provider.getNewClientTransaction(retry);
                messages.put(ct, result);
                ct.sendRequest();
                return;
            }
        }
        result.completeExceptionally(new SipException("message not delivered: " + status + " " + r.getReasonPhrase()));
    }

    // ------------------------------------------------------------------ media

    /**
     * With a STUN server configured, SDP carries the address the STUN server sees the RTP socket as
     * (the public one behind a NAT); without one, or without an answer within a second, the local one.
     */
    private void publicMediaAddress(Call c) {
        account.stun().ifPresent(stun -> {
            try {
                int colon = stun.lastIndexOf(':');
                InetSocketAddress server = colon > 0 && !stun.endsWith("]")
                        ? new InetSocketAddress(stun.substring(0, colon), Integer.parseInt(stun.substring(colon + 1)))
                        : new InetSocketAddress(stun, 3478);
                InetSocketAddress mapped = new org.callibry.softphone.stun.StunClient(server, Duration.ofMillis(250), 4)
                        .discover(c.rtpPorts.rtpSocket());
                c.sdpHost = mapped.getAddress().getHostAddress();
                c.sdpPort = mapped.getPort();
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "STUN query to {0} failed: {1}", stun, e.getMessage());
            }
        });
    }

    private String offer(Call c, MediaDirection direction) {
        return Sdp.offer(c.sdpHost, c.sdpPort, c.sdpSessionId, ++c.sdpVersion, direction);
    }

    /** Takes the remote side's SDP answer to our offer (or, early, its 183 SDP). */
    private void updateRemoteMedia(Call c, byte[] body, boolean isAnswer) {
        if (body == null || body.length == 0) {
            return;
        }
        Sdp.parse(new String(body, StandardCharsets.UTF_8)).ifPresent(remote -> {
            MediaDirection ours = switch (remote.direction()) {
                case SENDRECV -> c.localDirection;
                case RECVONLY -> c.localDirection == MediaDirection.SENDRECV || c.localDirection == MediaDirection.SENDONLY
                        ? MediaDirection.SENDONLY : MediaDirection.INACTIVE;
                case SENDONLY -> MediaDirection.RECVONLY;
                case INACTIVE -> MediaDirection.INACTIVE;
            };
            int pt = remote.firstCodec();
            int te = remote.telephoneEvent();
            setMedia(c, new CallMedia(c.rtpPorts.rtpPort(), new InetSocketAddress(remote.address(), remote.port()), pt,
                    remote.encodings().getOrDefault(pt, ""), te, ours));
        });
    }

    /** Media after we answered {@code offer} with {@code answer}. */
    private void applyMedia(Call c, SessionDescription offer, String answer) {
        SessionDescription ours = Sdp.parse(answer).orElseThrow();
        int pt = ours.firstCodec();
        setMedia(c, new CallMedia(c.rtpPorts.rtpPort(), new InetSocketAddress(offer.address(), offer.port()), pt,
                ours.encodings().getOrDefault(pt, ""), ours.telephoneEvent(), ours.direction()));
    }

    private void setMedia(Call c, CallMedia m) {
        if (m.equals(c.media())) {
            return;
        }
        c.media(m);
        notifyListener(() -> listener.mediaChanged(c, m));
    }

    // ------------------------------------------------------------------ state

    private void setState(Call c, CallState s) {
        if (c.state() == s || c.state() == CallState.ENDED) {
            return;
        }
        c.state(s);
        notifyListener(() -> listener.callStateChanged(c, s));
        referredCallChanged(c, s);
    }

    private void ended(Call c, CallEnd end) {
        if (c.state() == CallState.ENDED) {
            return;
        }
        c.end(end);
        c.rtpPorts.close();
        notifyListener(() -> listener.callStateChanged(c, CallState.ENDED));
        referredCallChanged(c, CallState.ENDED);
        // kept a while for late responses (a 200 racing our CANCEL), then forgotten
        events.schedule(() -> calls.remove(c.callId, c), 32, TimeUnit.SECONDS);
    }

    // ------------------------------------------------------------------ SIP events

    /** JAIN-SIP's callbacks, handed over to the event thread. */
    private final class Events implements SipListener {
        @Override
        public void processRequest(RequestEvent e) {
            run(() -> request(e));
        }

        @Override
        public void processResponse(ResponseEvent e) {
            run(() -> response(e));
        }

        @Override
        public void processTimeout(TimeoutEvent e) {
            run(() -> timeout(e));
        }

        @Override
        public void processIOException(IOExceptionEvent e) {
            run(() -> {
                if (registerTx != null && registration.state() == RegistrationState.REGISTERING) {
                    registrationFailed(unreachableReason(null), 0, true);
                }
            });
        }

        @Override
        public void processTransactionTerminated(TransactionTerminatedEvent e) {
        }

        @Override
        public void processDialogTerminated(DialogTerminatedEvent e) {
            run(() -> {
                for (Call c : calls.values()) {
                    if (c.dialog == e.getDialog() && c.state().established()) {
                        ended(c, CallEnd.of(CallEnd.Reason.FAILED, "the call was lost"));
                    }
                }
            });
        }
    }

    private void request(RequestEvent e) throws Exception {
        Request r = e.getRequest();
        String method = r.getMethod();
        String callId = ((CallIdHeader) r.getHeader(CallIdHeader.NAME)).getCallId();
        Call c = calls.get(callId);
        boolean inDialog = ((ToHeader) r.getHeader(ToHeader.NAME)).getTag() != null;
        switch (method) {
            case Request.INVITE -> {
                if (inDialog && c != null && c.state() != CallState.ENDED) {
                    incomingReinvite(c, e);
                } else if (inDialog) {
                    respond(serverTransaction(e), r, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
                } else {
                    incomingInvite(e);
                }
            }
            case Request.ACK -> {
                if (c != null && c.awaitingAnswerInAck && r.getRawContent() != null) {
                    c.awaitingAnswerInAck = false;
                    updateRemoteMedia(c, r.getRawContent(), true);
                }
            }
            case Request.CANCEL -> {
                respond(serverTransaction(e), r, Response.OK);
                if (c != null && c.state() == CallState.RINGING) {
                    respond(c.inviteServerTx, c.invite, Response.REQUEST_TERMINATED); // RFC 3261 §9.2
                    ended(c, CallEnd.of(CallEnd.Reason.MISSED, "caller hung up"));
                }
            }
            case Request.BYE -> {
                respond(serverTransaction(e), r, c == null ? Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST : Response.OK);
                if (c != null) {
                    javax.sip.header.ReasonHeader why = (javax.sip.header.ReasonHeader) r.getHeader(javax.sip.header.ReasonHeader.NAME);
                    boolean mediaTimeout = why != null && why.getText() != null && why.getText().contains("media timeout");
                    ended(c, c.transferSucceeded ? CallEnd.of(CallEnd.Reason.TRANSFERRED, "transferred")
                            : mediaTimeout ? CallEnd.of(CallEnd.Reason.CONNECTION_LOST, "the server heard no audio (media timeout)")
                            : CallEnd.of(CallEnd.Reason.REMOTE_HANGUP, "hung up by the other party"));
                }
            }
            case Request.INFO -> {
                if (c == null) {
                    respond(serverTransaction(e), r, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
                } else {
                    incomingInfo(c, e);
                }
            }
            case Request.REFER -> {
                if (c == null || !c.state().established()) {
                    respond(serverTransaction(e), r, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
                } else {
                    incomingRefer(c, e);
                }
            }
            case Request.NOTIFY -> {
                if (c == null) {
                    respond(serverTransaction(e), r, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
                } else {
                    incomingNotify(c, e);
                }
            }
            case Request.MESSAGE -> incomingMessage(e);
            case Request.OPTIONS -> respond(serverTransaction(e), r, Response.OK);
            default -> respond(serverTransaction(e), r, Response.METHOD_NOT_ALLOWED);
        }
    }

    private void response(ResponseEvent e) throws Exception {
        Response r = e.getResponse();
        CSeqHeader cseq = (CSeqHeader) r.getHeader(CSeqHeader.NAME);
        String callId = ((CallIdHeader) r.getHeader(CallIdHeader.NAME)).getCallId();
        Call c = calls.get(callId);
        switch (cseq.getMethod()) {
            case Request.REGISTER -> registerResponse(e);
            case Request.INVITE -> {
                if (c != null) {
                    inviteResponse(c, e);
                } else if (r.getStatusCode() >= 200 && r.getStatusCode() < 300 && e.getDialog() != null) {
                    e.getDialog().sendAck(e.getDialog().createAck(cseq.getSeqNumber()));
                }
            }
            case Request.REFER -> {
                if (c != null) {
                    referResponse(c, r);
                }
            }
            case Request.MESSAGE -> messageResponse(e);
            case Request.INFO -> {
                if (c != null && r.getStatusCode() >= 200 && e.getClientTransaction() == c.infoTx) {
                    c.infoTx = null;
                    sendNextDtmf(c);
                }
            }
            default -> {
                // BYE, CANCEL, NOTIFY: nothing to do
            }
        }
    }

    private void timeout(TimeoutEvent e) {
        if (e.isServerTransaction()) {
            for (Call c : calls.values()) {
                if (c.inviteServerTx == e.getServerTransaction() && c.state().established()) {
                    // RFC 3261 §13.3.1.4: our 2xx was never acknowledged
                    hangUpNow(c, CallEnd.of(CallEnd.Reason.FAILED, "the caller never confirmed the answer"));
                }
            }
            return;
        }
        ClientTransaction ct = e.getClientTransaction();
        if (ct == registerTx) {
            registrationFailed(unreachableReason(null), 0, true);
            return;
        }
        CompletableFuture<Void> message = messages.remove(ct);
        if (message != null) {
            message.completeExceptionally(new SipException(Registration.SERVER_UNREACHABLE));
            return;
        }
        String callId = ((CallIdHeader) ct.getRequest().getHeader(CallIdHeader.NAME)).getCallId();
        Call c = calls.get(callId);
        if (c == null) {
            return;
        }
        if (ct == c.inviteTx) {
            ended(c, CallEnd.of(CallEnd.Reason.SERVER_UNREACHABLE, "no answer from the server"));
        } else if (ct == c.infoTx) {
            c.infoTx = null;
            sendNextDtmf(c);
        } else if (ct == c.reinviteTx) {
            c.reinviteTx = null;
            hangUpNow(c, CallEnd.of(CallEnd.Reason.SERVER_UNREACHABLE, "no answer from the server")); // RFC 3261 §14.1
        }
    }

    // ------------------------------------------------------------------ helpers

    private void run(ThrowingRunnable task) {
        if (closed) {
            return;
        }
        events.execute(() -> {
            try {
                task.run();
            } catch (Exception | Error e) {
                LOG.log(System.Logger.Level.WARNING, "SIP event handling failed", e);
            }
        });
    }

    /** Listener calls run on the event thread (we are on it); a listener's failure does not stop the agent. */
    private void notifyListener(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "listener failed", e);
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    private ServerTransaction serverTransaction(RequestEvent e) {
        if (e.getServerTransaction() != null) {
            return e.getServerTransaction();
        }
        try {
            return provider.getNewServerTransaction(e.getRequest());
        } catch (TransactionAlreadyExistsException retransmission) {
            return null;
        } catch (SipException ex) {
            LOG.log(System.Logger.Level.DEBUG, "no server transaction", ex);
            return null;
        }
    }

    private void respond(ServerTransaction st, Request request, int status) {
        if (st == null) {
            return;
        }
        try {
            st.sendResponse(messageFactory.createResponse(status, request));
        } catch (ParseException | SipException | javax.sip.InvalidArgumentException | IllegalStateException e) {
            LOG.log(System.Logger.Level.DEBUG, "response not sent", e);
        }
    }

    private Request newRequest(String method, URI requestUri, SipURI toUri, String callId, long cseq, String fromTag)
            throws ParseException, javax.sip.InvalidArgumentException {
        Address fromAddress = addresses.createAddress(addresses.createSipURI(account.user(), account.domain()));
        if (!account.displayName().isBlank()) {
            fromAddress.setDisplayName(account.displayName());
        }
        List<ViaHeader> via = new ArrayList<>();
        via.add(via());
        Request r = messageFactory.createRequest(requestUri, method, headers.createCallIdHeader(callId),
                headers.createCSeqHeader(cseq, method), headers.createFromHeader(fromAddress, fromTag),
                headers.createToHeader(addresses.createAddress(toUri), null), via, headers.createMaxForwardsHeader(70));
        if (!Request.MESSAGE.equals(method)) {
            r.setHeader(contact());
        }
        r.addHeader(headers.createUserAgentHeader(List.of(PRODUCT)));
        return r;
    }

    /** Our Via, asking for rport (RFC 3581) so that answers come back through NATs. */
    private ViaHeader via() throws ParseException, javax.sip.InvalidArgumentException {
        ViaHeader v = headers.createViaHeader(localAddress.getHostAddress(), localPort, account.transport().sipName(), null);
        v.setRPort();
        return v;
    }

    private ContactHeader contact() throws ParseException {
        SipURI uri = addresses.createSipURI(account.user(), localAddress.getHostAddress());
        uri.setPort(localPort);
        if (account.transport() != Transport.UDP) {
            uri.setTransportParam(account.transport().sipName());
        }
        return headers.createContactHeader(addresses.createAddress(uri));
    }

    private ContentTypeHeader sdpType() throws ParseException {
        return headers.createContentTypeHeader("application", "sdp");
    }

    /** {@code 1002}, {@code 1002@host}, {@code sip:1002@host}: a SIP URI, in our domain when no host is given. */
    private SipURI targetUri(String target) throws ParseException {
        String t = target.trim();
        if (t.startsWith("<") && t.endsWith(">")) {
            t = t.substring(1, t.length() - 1);
        }
        if (t.toLowerCase(Locale.ROOT).startsWith("sip:") || t.toLowerCase(Locale.ROOT).startsWith("sips:")) {
            return (SipURI) addresses.createURI(t);
        }
        int at = t.indexOf('@');
        return at < 0 ? addresses.createSipURI(t, account.domain()) : addresses.createSipURI(t.substring(0, at), t.substring(at + 1));
    }

    private static String headerValue(Header h) {
        String s = h.toString();
        return s.substring(s.indexOf(':') + 1).trim();
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

    private static String tag() {
        return Long.toHexString(RANDOM.nextLong() & Long.MAX_VALUE);
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }

    /** The local address the system would use to reach the server (no packet is sent). */
    private static InetAddress routeTo(String host, int port) throws IOException {
        try (DatagramSocket s = new DatagramSocket()) {
            s.connect(new InetSocketAddress(InetAddress.getByName(host), port));
            InetAddress local = s.getLocalAddress();
            return local.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : local;
        }
    }

    /** A port free for both UDP and TCP (the listening point takes the one its transport needs). */
    private static int freePort(InetAddress address) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(address, 0));
                 ServerSocket tcp = new ServerSocket(udp.getLocalPort(), 1, address)) {
                return tcp.getLocalPort();
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free SIP port on " + address.getHostAddress());
    }
}

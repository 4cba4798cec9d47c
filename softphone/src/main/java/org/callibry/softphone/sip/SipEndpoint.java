package org.callibry.softphone.sip;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.address.Address;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.ContactHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.Header;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ViaHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;

/**
 * The core the parts of a {@link UserAgent} share: its own JAIN-SIP stack and provider on a free local
 * port, the factories, the one event thread everything runs on, the listener, and the helpers every
 * part needs (a new out-of-dialog request, our Via and Contact, a server transaction, a response).
 */
final class SipEndpoint {
    /** How long a request may stay unanswered before the server counts as unreachable. */
    static final Duration NO_ANSWER = Duration.ofSeconds(4);
    static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicInteger STACKS = new AtomicInteger();
    private static final System.Logger LOG = System.getLogger(UserAgent.class.getName());
    private static final String PRODUCT = "Callibry-Softphone/0.1";

    private final SoftphoneAccount account;
    private final UserAgentListener listener;
    private final ScheduledExecutorService events;
    private final String stackName;

    private SipStack stack;
    private SipProvider provider;
    private AddressFactory addresses;
    private HeaderFactory headers;
    private MessageFactory messages;
    private InetAddress localAddress;
    private int localPort;
    private TlsTrustProvider.Decision tls;
    private volatile boolean closed;

    SipEndpoint(SoftphoneAccount account, UserAgentListener listener) {
        this.account = account;
        this.listener = listener;
        this.stackName = "callibry-softphone-" + account.user() + "-" + STACKS.incrementAndGet();
        this.events = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, stackName);
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts the stack on a free local port of the interface that reaches the server; {@code events} gets its callbacks. */
    void start(SipListener events) throws IOException {
        try {
            localAddress = routeTo(account.serverHost(), account.serverPort());
            localPort = freePort(localAddress);
            SipFactory factory = SipFactory.getInstance();
            factory.setPathName("gov.nist");
            stack = factory.createSipStack(stackProperties());
            addresses = factory.createAddressFactory();
            headers = factory.createHeaderFactory();
            messages = factory.createMessageFactory();
            ListeningPoint lp = stack.createListeningPoint(localAddress.getHostAddress(), localPort, account.transport().sipName());
            provider = stack.createSipProvider(lp);
            provider.addSipListener(events);
        } catch (javax.sip.PeerUnavailableException | javax.sip.TransportNotSupportedException
                 | javax.sip.InvalidArgumentException | javax.sip.ObjectInUseException | java.util.TooManyListenersException e) {
            throw new IOException("cannot start the SIP stack: " + e.getMessage(), e);
        }
    }

    private Properties stackProperties() {
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
        return p;
    }

    /**
     * Stops for good: {@code last} runs on the event thread (waited for up to 5 s), then the stack
     * stops; work handed over later is dropped.
     */
    void close(Runnable last) {
        closed = true;
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        events.execute(() -> {
            last.run();
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

    boolean closed() {
        return closed;
    }

    SoftphoneAccount account() {
        return account;
    }

    SipProvider provider() {
        return provider;
    }

    AddressFactory addresses() {
        return addresses;
    }

    HeaderFactory headers() {
        return headers;
    }

    MessageFactory messages() {
        return messages;
    }

    InetAddress localAddress() {
        return localAddress;
    }

    int localPort() {
        return localPort;
    }

    /** The SHA-256 fingerprint of the server certificate last refused. */
    Optional<String> refusedCertificate() {
        return tls == null ? Optional.empty() : Optional.ofNullable(tls.refusedFingerprint);
    }

    // ------------------------------------------------------------------ the event thread

    /** Runs {@code task} on the event thread, unless stopped; a failure is logged, not thrown. */
    void run(ThrowingRunnable task) {
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

    ScheduledFuture<?> schedule(Runnable task, long delayMillis) {
        return events.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    }

    /** Listener calls run on the event thread (we are on it); a listener's failure does not stop the agent. */
    void tell(Consumer<UserAgentListener> call) {
        try {
            call.accept(listener);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "listener failed", e);
        }
    }

    /** Work for the event thread that may throw. */
    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    // ------------------------------------------------------------------ messages

    /** The event's server transaction, a new one, or null for a retransmission. */
    ServerTransaction serverTransaction(RequestEvent e) {
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

    /** Answers {@code request} with a bare {@code status}; nothing when there is no transaction. */
    void respond(ServerTransaction st, Request request, int status) {
        if (st == null) {
            return;
        }
        try {
            st.sendResponse(messages.createResponse(status, request));
        } catch (ParseException | SipException | javax.sip.InvalidArgumentException | IllegalStateException e) {
            LOG.log(System.Logger.Level.DEBUG, "response not sent", e);
        }
    }

    /** A request outside a dialog, from our address of record. */
    Request newRequest(String method, URI requestUri, SipURI toUri, String callId, long cseq, String fromTag)
            throws ParseException, javax.sip.InvalidArgumentException {
        Address fromAddress = addresses.createAddress(addresses.createSipURI(account.user(), account.domain()));
        if (!account.displayName().isBlank()) {
            fromAddress.setDisplayName(account.displayName());
        }
        List<ViaHeader> via = new ArrayList<>();
        via.add(via());
        Request r = messages.createRequest(requestUri, method, headers.createCallIdHeader(callId),
                headers.createCSeqHeader(cseq, method), headers.createFromHeader(fromAddress, fromTag),
                headers.createToHeader(addresses.createAddress(toUri), null), via, headers.createMaxForwardsHeader(70));
        if (!Request.MESSAGE.equals(method)) {
            r.setHeader(contact());
        }
        r.addHeader(headers.createUserAgentHeader(List.of(PRODUCT)));
        return r;
    }

    String newCallId() {
        return provider.getNewCallId().getCallId();
    }

    /** Our Via, asking for rport (RFC 3581) so that answers come back through NATs. */
    ViaHeader via() throws ParseException, javax.sip.InvalidArgumentException {
        ViaHeader v = headers.createViaHeader(localAddress.getHostAddress(), localPort, account.transport().sipName(), null);
        v.setRPort();
        return v;
    }

    ContactHeader contact() throws ParseException {
        SipURI uri = addresses.createSipURI(account.user(), localAddress.getHostAddress());
        uri.setPort(localPort);
        if (account.transport() != Transport.UDP) {
            uri.setTransportParam(account.transport().sipName());
        }
        return headers.createContactHeader(addresses.createAddress(uri));
    }

    ContentTypeHeader sdpType() throws ParseException {
        return headers.createContentTypeHeader("application", "sdp");
    }

    /** {@code 1002}, {@code 1002@host}, {@code sip:1002@host}: a SIP URI, in our domain when no host is given. */
    SipURI targetUri(String target) throws ParseException {
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

    /** Why the server could not be reached: its certificate when TLS refused it, else plainly unreachable. */
    String unreachableReason(Throwable cause) {
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

    static String headerValue(Header h) {
        String s = h.toString();
        return s.substring(s.indexOf(':') + 1).trim();
    }

    static String tag() {
        return Long.toHexString(RANDOM.nextLong() & Long.MAX_VALUE);
    }

    static void cancel(ScheduledFuture<?> f) {
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

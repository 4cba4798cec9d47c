package org.callibry.server.sip.internal;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Clock;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.callibry.server.nodes.Roles;
import org.callibry.server.sip.core.CallHandler;
import org.callibry.server.sip.core.DigestAuth;
import org.callibry.server.sip.core.DigestAuthenticator;
import org.callibry.server.sip.core.Location;
import org.callibry.server.sip.core.NextHopRouter;
import org.callibry.server.sip.core.Peers;
import org.callibry.server.sip.core.Sip;
import org.callibry.server.sip.core.SipAccounts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs the JAIN-SIP stack: creates it with bounded queues and our logger, opens the UDP and TCP
 * listening points, and hands REGISTER to the {@link Registrar} and every other request, response and
 * timeout to the {@link CallHandler} of the {@code calls} module (the proxy). Starts after
 * the database is ready (registrations restored first) and stops before it.
 */
@Component
class SipService implements SmartLifecycle, SipListener {
    private static final Logger log = LoggerFactory.getLogger(SipService.class);
    private static final java.util.concurrent.atomic.AtomicInteger INSTANCES = new java.util.concurrent.atomic.AtomicInteger();

    private final SipProperties properties;
    private final SipAccounts accounts;
    private final Location location;
    private final Peers peers;
    private final CallHandler calls;
    /** This service's JAIN-SIP stack name (one per instance: the factory hands out stacks by name). */
    private volatile String stackName;
    private volatile SipStack stack;
    private volatile Registrar registrar;
    private volatile StatelessReplies replies;
    private volatile DigestAuthenticator authenticator;
    private volatile Sip sip;
    private ScheduledExecutorService timers;

    private final java.nio.file.Path dataDir;
    private final Roles roles;

    SipService(SipProperties properties, SipAccounts accounts, Location location, Peers peers,
               @org.springframework.beans.factory.annotation.Value("${callibry.data-dir}") java.nio.file.Path dataDir,
               CallHandler calls, Roles roles) {
        this.calls = calls;
        this.dataDir = dataDir;
        this.roles = roles;
        this.properties = properties;
        this.accounts = accounts;
        this.location = location;
        this.peers = peers;
    }

    @Override
    public void start() {
        if (!properties.enabled()) {
            log.info("SIP disabled (callibry.sip.enabled=false)");
            return;
        }
        if (!roles.signaling()) {
            log.info("SIP proxy and registrar not started: this process is a media node (callibry.roles={})", roles);
            return;
        }
        accounts.reload();
        peers.reload();
        location.start(accounts);
        try {
            SipFactory factory = SipFactory.getInstance();
            factory.setPathName("gov.nist");
            Properties p = new Properties();
            // JAIN-SIP's factory hands out an existing stack of the same name: one name per service instance
            stackName = "callibry-" + properties.port() + "-" + INSTANCES.incrementAndGet();
            p.setProperty("javax.sip.STACK_NAME", stackName);
            p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "off");
            p.setProperty("javax.sip.ROUTER_PATH", NextHopRouter.class.getName());
            p.setProperty("gov.nist.javax.sip.STACK_LOGGER", Slf4jStackLogger.class.getName());
            p.setProperty("gov.nist.javax.sip.SERVER_LOGGER", Slf4jStackLogger.class.getName());
            p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", Integer.toString(properties.threadPoolSize()));
            p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
            p.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", "65536");
            p.setProperty("gov.nist.javax.sip.MAX_SERVER_TRANSACTIONS", Integer.toString(properties.maxServerTransactions()));
            p.setProperty("gov.nist.javax.sip.MAX_CLIENT_TRANSACTIONS", Integer.toString(properties.maxServerTransactions()));
            p.setProperty("gov.nist.javax.sip.CACHE_CLIENT_CONNECTIONS", "true");
            p.setProperty("gov.nist.javax.sip.CACHE_SERVER_CONNECTIONS", "true");
            p.setProperty("gov.nist.javax.sip.LOG_MESSAGE_CONTENT", "false");
            p.setProperty("gov.nist.javax.sip.TRACE_LEVEL", "0");
            // requests piling up in the UDP queue are dropped after this long instead of growing it (overload)
            p.setProperty("gov.nist.javax.sip.CONGESTION_CONTROL_TIMEOUT", "2000");
            p.setProperty("gov.nist.javax.sip.MESSAGE_PARSER_FACTORY", StrictMessageParser.Factory.class.getName());
            p.setProperty("gov.nist.javax.sip.SIP_MESSAGE_VALVE", RequestValve.class.getName());
            p.setProperty("gov.nist.javax.sip.MESSAGE_PROCESSOR_FACTORY", LeanProcessors.class.getName());
            p.setProperty(gov.nist.javax.sip.stack.LeanUdpMessageProcessor.SOCKETS, Integer.toString(properties.udpSockets()));
            if (!properties.maxTransactionLifetime().isZero()) {
                String seconds = Long.toString(Math.max(1, properties.maxTransactionLifetime().toSeconds()));
                p.setProperty("gov.nist.javax.sip.MAX_TX_LIFETIME_INVITE", seconds);
                p.setProperty("gov.nist.javax.sip.MAX_TX_LIFETIME_NON_INVITE", seconds);
            }
            p.setProperty("gov.nist.javax.sip.TIMER_CLASS_NAME", LeanSipTimer.class.getName());
            // -Dgov.nist.javax.sip.RELEASE_REFERENCES_STRATEGY=Aggressive (an override, below) makes a transaction let go
            // of its parsed messages once answered: 7-10 % less CPU per call (docs/performance.md), but not the
            // default while ListenIT's failures in the whole suite with it are unexplained
            p.setProperty(LeanSipTimer.COMPLETED_WAIT, Long.toString(properties.completedTransactionWait().toMillis()));
            // a terminated transaction (an answered INVITE's, a BYE's after its wait) then lingers as long, not 8 s
            LeanSipStack.lingerSeconds = (int) Math.min(8, (properties.completedTransactionWait().toMillis() + 999) / 1000);
            RequestValve.maxPerSecond = properties.maxRequestsPerSecond();
            RequestValve.maxQueueDelayMillis = properties.maxQueueDelay().toMillis();
            gov.nist.javax.sip.stack.LeanUdpMessageProcessor.shedDelayMillis = properties.shedDelay().toMillis();
            gov.nist.javax.sip.stack.LeanUdpMessageProcessor.receiveBufferBytes = (int) Math.min(Integer.MAX_VALUE,
                    properties.udpReceiveBuffer().toBytes());
            java.nio.file.Path keystore = null;
            if (properties.tlsPort() > 0) {
                keystore = TlsKeystore.ensure(properties, dataDir);
                p.setProperty("javax.net.ssl.keyStore", keystore.toString());
                p.setProperty("javax.net.ssl.keyStorePassword", properties.tlsKeystorePassword());
                p.setProperty("javax.net.ssl.keyStoreType", "PKCS12");
                p.setProperty("javax.net.ssl.trustStore", keystore.toString());
                p.setProperty("javax.net.ssl.trustStorePassword", properties.tlsKeystorePassword());
                p.setProperty("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE", "Disabled");
                // JAIN-SIP's defaults are 2010-era RSA suites the JDK no longer offers
                p.setProperty("gov.nist.javax.sip.TLS_CLIENT_PROTOCOLS", "TLSv1.2,TLSv1.3");
                p.setProperty("gov.nist.javax.sip.ENABLED_CIPHER_SUITES", String.join(",",
                        "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
                        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
                        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"));
            }
            // an operator's override of any stack property: -Dgov.nist.javax.sip.NAME=value
            System.getProperties().stringPropertyNames().stream().filter(n -> n.startsWith("gov.nist.javax.sip."))
                    .forEach(n -> p.setProperty(n, System.getProperty(n)));
            stack = new LeanSipStack(p); // the factory would make the RI's SipStackImpl
            String host = advertised();
            SipProvider provider = null;
            for (String transport : properties.transports()) {
                ListeningPoint lp = stack.createListeningPoint(properties.bindAddress(), properties.port(), transport);
                lp.setSentBy(host + ":" + properties.port());
                if (provider == null) {
                    provider = stack.createSipProvider(lp);
                } else {
                    provider.addListeningPoint(lp);
                }
            }
            if (properties.tlsPort() > 0) {
                ListeningPoint tls = stack.createListeningPoint(properties.bindAddress(), properties.tlsPort(), "tls");
                tls.setSentBy(host + ":" + properties.tlsPort());
                provider.addListeningPoint(tls);
            }
            provider.addSipListener(this);
            sip = new Sip(provider, factory.createMessageFactory(), factory.createHeaderFactory(), factory.createAddressFactory(),
                    host, properties.port(), properties.tlsPort());
            DigestAuth digest = new DigestAuth(sip.headers, properties.algorithms(), properties.nonceTtl(), Clock.systemUTC());
            authenticator = new DigestAuthenticator(sip, accounts, digest, properties.authFailuresPerAddress(), properties.authFailureWindow());
            registrar = new Registrar(sip, accounts, location, authenticator, properties);
            replies = new StatelessReplies(sip, (LeanSipStack) stack);
            timers = Executors.newScheduledThreadPool(1, Thread.ofPlatform().name("sip-timers").daemon().factory());
            calls.started(sip, authenticator);
            timers.scheduleWithFixedDelay(this::housekeeping, 30, 30, TimeUnit.SECONDS);
            long keepAlive = properties.keepAliveInterval().toMillis();
            if (keepAlive > 0) {
                KeepAlive pinger = new KeepAlive(sip, location);
                timers.scheduleWithFixedDelay(pinger::pingNattedContacts, keepAlive, keepAlive, TimeUnit.MILLISECONDS);
            }
            RequestValve.onStray(stackName, r -> calls.response(null, r)); // stray 2xx: straight to the stateless path
            stack.start();
            int sockets = ((LeanSipStack) stack).udpSockets();
            log.info("SIP listening on {}:{} ({}){}{}, advertised as {}", properties.bindAddress(), properties.port(),
                    String.join(", ", properties.transports()),
                    sockets > 1 ? ", UDP by " + sockets + " sockets" : "",
                    properties.tlsPort() > 0 ? " and TLS on " + properties.tlsPort() + " (" + keystore + ")" : "", host);
        } catch (Exception e) {
            IllegalStateException failure = new IllegalStateException("Cannot start SIP on " + properties.bindAddress() + ":"
                    + properties.port() + ": " + e.getMessage(), e);
            try {
                stopStack();
            } catch (RuntimeException cleanup) {
                failure.addSuppressed(cleanup); // never hide why the start failed
            }
            throw failure;
        }
    }

    private void housekeeping() {
        try {
            authenticator.purge();
            calls.housekeeping();
        } catch (RuntimeException e) {
            log.warn("SIP housekeeping failed", e);
        }
    }

    private String advertised() throws SocketException {
        if (!properties.advertisedAddress().isBlank()) {
            return properties.advertisedAddress();
        }
        if (!properties.bindAddress().equals("0.0.0.0")) {
            return properties.bindAddress();
        }
        for (NetworkInterface ni : NetworkInterface.networkInterfaces().toList()) {
            if (ni.isUp() && !ni.isLoopback()) {
                for (InetAddress a : ni.inetAddresses().toList()) {
                    if (a instanceof java.net.Inet4Address) {
                        return a.getHostAddress();
                    }
                }
            }
        }
        return "127.0.0.1";
    }

    @Override
    public void stop() {
        stopStack();
        location.stop();
    }

    private void stopStack() {
        if (stackName != null) {
            RequestValve.onStray(stackName, null);
        }
        if (sip != null) {
            calls.stopped();
        }
        if (timers != null) {
            timers.shutdownNow();
        }
        SipStack s = stack;
        stack = null;
        if (s != null) {
            s.stop();
        }
    }

    @Override
    public boolean isRunning() {
        return stack != null;
    }

    @Override
    public int getPhase() {
        return 100; // after the web server has started, stopped before the database
    }

    // ---------------------------------------------------------------- SipListener

    @Override
    public void processRequest(RequestEvent event) {
        Request request = event.getRequest();
        String method = request.getMethod();
        if (Request.ACK.equals(method)) {
            if (event.getServerTransaction() == null) {
                calls.ack(request);
            }
            return;
        }
        ServerTransaction st = event.getServerTransaction();
        if (st == null && Request.REGISTER.equals(method) && "udp".equals(Sip.transport(request))) {
            // The registrar answers REGISTER over UDP without a JAIN-SIP server transaction (as Kamailio's does):
            // one would keep the request, its answer and a timer for Timer J's 32 s, twice per digest
            // registration. StatelessReplies keeps each final answer a few seconds as text instead, so a
            // retransmission gets the same answer again, as from a transaction (RFC 3261 §17.2.2).
            ServerTransaction stateless = replies.begin(request);
            if (stateless == null) {
                return; // a retransmission, dropped or answered again
            }
            try {
                registrar.register(stateless, request);
            } catch (RuntimeException e) {
                log.warn("Failed handling {}", method, e);
                sip.respond(stateless, request, Response.SERVER_INTERNAL_ERROR);
            }
            return;
        }
        try {
            if (st == null) {
                st = sip.provider.getNewServerTransaction(request);
            }
        } catch (TransactionAlreadyExistsException e) {
            return; // a retransmission: the transaction layer answers it
        } catch (Exception e) {
            log.debug("No server transaction for {}: {}", method, e.getMessage());
            sip.respond(null, request, Response.BAD_REQUEST, e.getMessage() == null ? null : "Bad Request", null);
            return;
        }
        try {
            switch (method) {
                case Request.REGISTER -> registrar.register(st, request);
                case Request.CANCEL -> calls.cancel(st, request);
                default -> calls.request(st, request);
            }
        } catch (RuntimeException e) {
            log.warn("Failed handling {}", method, e);
            sip.respond(st, request, Response.SERVER_INTERNAL_ERROR);
        }
    }

    @Override
    public void processResponse(ResponseEvent event) {
        try {
            calls.response(event.getClientTransaction(), event.getResponse());
        } catch (RuntimeException e) {
            log.warn("Failed handling response {}", event.getResponse().getStatusCode(), e);
        }
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
        if (!event.isServerTransaction()) {
            calls.timeout(event.getClientTransaction());
        }
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
        log.debug("SIP I/O error towards {}:{} ({})", event.getHost(), event.getPort(), event.getTransport());
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {
    }

}

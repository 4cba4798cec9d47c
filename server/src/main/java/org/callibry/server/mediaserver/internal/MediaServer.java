package org.callibry.server.mediaserver.internal;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ToHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.callibry.server.nodes.MediaNode;
import org.callibry.server.nodes.MediaNodes;
import org.callibry.server.relay.rtp.MediaClock;
import org.callibry.server.relay.rtp.MediaProperties;
import org.callibry.server.relay.rtp.MusicOnHold;
import org.callibry.server.relay.rtp.RtpNetwork;
import org.callibry.server.relay.rtp.RtpPlane;
import org.callibry.server.relay.rtp.Sdp;
import org.callibry.server.calls.CallApplication;
import org.callibry.server.calls.CallControl;
import org.callibry.server.calls.MediaServers;
import org.callibry.server.sip.SipStacks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The media server of this node: a SIP user agent of its own (own JAIN-SIP stack and port) that
 * terminates the calls routes send to a media service, and hands each to the registered
 * {@link CallApplication} as a {@link Session}. The signaling node reaches it through the proxy
 * (Record-Route keeps the proxy in the dialog). Built-in services: echo and music on hold.
 */
@Component
class MediaServer implements SmartLifecycle, SipListener, CallControl, MediaServers {
    private static final Logger log = LoggerFactory.getLogger(MediaServer.class);
    static final String SERVICE_PARAM = "svc-name";
    /** No RTP from an answered caller for this long ends its session (not while it holds). */
    static final long SESSION_SILENCE_SECONDS = 120;

    private final RtpPlane plane;
    private final MediaProperties properties;
    private final int sipPort;
    private final MusicOnHold music;
    private final MediaNodes nodes;
    private final String signaling;
    private final java.util.List<String> signalingHosts;
    private final Map<String, CallApplication> applications = new ConcurrentHashMap<>();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final SipStacks stacks;
    private volatile SipStacks.UserAgentStack stack;
    private volatile SipProvider provider;
    private MessageFactory messages;
    private HeaderFactory headers;
    private AddressFactory addresses;
    private ContactHeader contact;
    private ScheduledExecutorService timers;

    MediaServer(RtpPlane plane, MediaProperties properties, MusicOnHold music, MediaNodes nodes, SipStacks stacks,
                @Value("${callibry.media.sip-port:5070}") int sipPort,
                @Value("${callibry.media.signaling-address:127.0.0.1:${callibry.sip.port:5060}}") String signaling,
                @Value("${callibry.media.node.signaling:}") java.util.List<String> heartbeatTargets) {
        this.nodes = nodes;
        this.stacks = stacks;
        this.signaling = signaling;
        this.signalingHosts = heartbeatTargets.stream().map(String::strip).filter(h -> !h.isEmpty())
                .map(h -> h.substring(0, h.lastIndexOf(':')).replace("[", "").replace("]", "")).toList();
        this.plane = plane;
        this.properties = properties;
        this.music = music;
        this.sipPort = sipPort;
        register(ECHO, session -> {
            session.answer();
            session.echo(true);
        });
        register(MUSIC_ON_HOLD, session -> {
            session.answer();
            session.play(music.forTenantNow(session.tenantId()), true, false);
        });
    }

    @Override
    public void register(String kind, CallApplication application) {
        applications.put(kind.toLowerCase(), application);
    }

    @Override
    public Optional<CallApplication> application(String kind) {
        return Optional.ofNullable(applications.get(kind.toLowerCase()));
    }

    @Override
    public Optional<String> uri(String kind, String name, String calledNumber) {
        if (!applications.containsKey(kind.toLowerCase())) {
            return Optional.empty();
        }
        // the least-loaded healthy node with a media server: this one, or one that announced its SIP address
        Optional<MediaNode> node = nodes.nodes().stream()
                .filter(n -> n.healthy() && (n.kind() == MediaNode.Kind.LOCAL ? provider != null : n.sipAddress() != null
                        && !n.sipAddress().isBlank()))
                .min(java.util.Comparator.comparingDouble(MediaNode::utilisation));
        if (node.isEmpty()) {
            return Optional.empty();
        }
        String hostPort = node.get().kind() == MediaNode.Kind.LOCAL ? host() + ":" + sipPort : node.get().sipAddress();
        String user = calledNumber == null || calledNumber.isBlank() ? kind : calledNumber;
        return Optional.of("sip:" + user + "@" + hostPort + ";svc=" + kind.toLowerCase()
                + (name == null || name.isBlank() ? "" : ";" + SERVICE_PARAM + "=" + name));
    }

    private String host() {
        String a = plane.advertised();
        return a.indexOf(':') >= 0 ? "[" + a + "]" : a;
    }

    // ------------------------------------------------------------------ accessors for sessions

    RtpNetwork network() {
        return plane.network();
    }

    MediaClock clock() {
        return plane.clock();
    }

    String advertised() {
        return plane.advertised();
    }

    MessageFactory messages() {
        return messages;
    }

    HeaderFactory headers() {
        return headers;
    }

    AddressFactory addresses() {
        return addresses;
    }

    SipProvider provider() {
        return provider;
    }

    ContactHeader contact() {
        return contact;
    }

    ScheduledExecutorService timers() {
        return timers;
    }

    int activeSessions() {
        return sessions.size();
    }

    /** Sessions whose caller sends no RTP any more (a crashed phone never sends its BYE) are hung up. */
    private void endSilentSessions() {
        try {
            for (Session s : sessions.values()) {
                if (s.silentSeconds() > SESSION_SILENCE_SECONDS) {
                    log.info("Media session {} ({}) ended: no RTP for {} s", s.callId(), s.serviceName(), s.silentSeconds());
                    s.hangup("media timeout");
                }
            }
        } catch (RuntimeException e) {
            log.warn("Media session check failed", e);
        }
    }

    /** The sessions that hear {@code source} (to forget it when it ends). */
    java.util.List<Session> sessionsHearing(Session source) {
        return sessions.values().stream().filter(x -> x.hears(source)).toList();
    }

    void ended(Session s) {
        sessions.remove(s.callId());
    }

    // ------------------------------------------------------------------ lifecycle

    @Override
    public void start() {
        if (!properties.enabled() || sipPort <= 0 || !plane.isRunning()) {
            log.info("Media server SIP endpoint disabled");
            return;
        }
        try {
            ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().name("media-timers").daemon().factory());
            t.setRemoveOnCancelPolicy(true); // a cancelled timer lets go of its session at once, not when it was due
            timers = t;
            timers.scheduleWithFixedDelay(this::endSilentSessions, 10, 10, java.util.concurrent.TimeUnit.SECONDS);
            SipStacks.UserAgentStack ua = stacks.userAgent("callibry-media", properties.bindAddress(), sipPort, host(), this);
            stack = ua;
            messages = ua.messages();
            headers = ua.headers();
            addresses = ua.addresses();
            SipURI c = addresses.createSipURI("media", host());
            c.setPort(sipPort);
            contact = headers.createContactHeader(addresses.createAddress(c));
            provider = ua.provider();
            log.info("Media server SIP endpoint on {}:{} (services: {})", properties.bindAddress(), sipPort, applications.keySet());
        } catch (Exception e) {
            stop();
            throw new IllegalStateException("Cannot start the media server on port " + sipPort + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void stop() {
        sessions.values().forEach(s -> s.hangup("shutdown"));
        provider = null;
        if (timers != null) {
            timers.shutdownNow();
        }
        SipStacks.UserAgentStack s = stack;
        stack = null;
        if (s != null) {
            s.close();
        }
    }

    @Override
    public boolean isRunning() {
        return stack != null;
    }

    @Override
    public int getPhase() {
        return 95; // after the media plane, before SIP signaling
    }

    // ------------------------------------------------------------------ SIP

    void respond(ServerTransaction st, Request request, int code) {
        try {
            Response r = messages.createResponse(code, request);
            if (st != null) {
                st.sendResponse(r);
            } else {
                provider.sendResponse(r);
            }
        } catch (Exception e) {
            log.debug("Cannot respond {}", code, e);
        }
    }

    @Override
    public void processRequest(RequestEvent event) {
        Request request = event.getRequest();
        String method = request.getMethod();
        String callId = ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId();
        if (Request.ACK.equals(method)) {
            return;
        }
        ServerTransaction st = event.getServerTransaction();
        try {
            if (st == null) {
                st = provider.getNewServerTransaction(request);
            }
        } catch (TransactionAlreadyExistsException e) {
            return;
        } catch (Exception e) {
            respond(null, request, Response.BAD_REQUEST);
            return;
        }
        Session session = sessions.get(callId);
        String toTag = ((ToHeader) request.getHeader(ToHeader.NAME)).getTag();
        switch (method) {
            case Request.INVITE -> {
                if (toTag == null && session == null) {
                    incoming(st, request);
                } else if (session != null) {
                    session.reinvite(st, request);
                } else {
                    respond(st, request, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
                }
            }
            case Request.BYE -> {
                respond(st, request, Response.OK);
                if (session != null) {
                    session.end("BYE");
                }
            }
            case Request.CANCEL -> {
                respond(st, request, Response.OK);
                if (session != null) {
                    session.reject(Response.REQUEST_TERMINATED, null);
                }
            }
            case Request.INFO -> respond(st, request, session != null && session.info(request) || session != null
                    ? Response.OK : Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
            case Request.OPTIONS -> respond(st, request, Response.OK);
            case Request.NOTIFY -> respond(st, request, Response.OK); // progress of a transfer (RFC 3515 §2.4.4)
            default -> respond(st, request, Response.METHOD_NOT_ALLOWED);
        }
    }

    private void incoming(ServerTransaction st, Request request) {
        String source = ((gov.nist.javax.sip.message.SIPRequest) request).getRemoteAddress().getHostAddress();
        if (!fromSignaling(source)) {
            // calls come through our proxy only: it authenticated the caller and says which tenant it belongs to
            log.info("Media server refuses an INVITE from {} (not a signaling node)", source);
            respond(st, request, Response.FORBIDDEN);
            return;
        }
        SipURI ruri = (SipURI) request.getRequestURI();
        String kind = ruri.getParameter("svc");
        CallApplication app = kind == null ? null : applications.get(kind.toLowerCase());
        if (app == null) {
            respond(st, request, Response.NOT_FOUND);
            return;
        }
        byte[] body = request.getRawContent();
        if (body == null || body.length == 0) {
            respond(st, request, Response.NOT_ACCEPTABLE_HERE); // late offer is not served by the media server
            return;
        }
        Session session;
        try {
            Sdp offer = Sdp.parse(new String(body, StandardCharsets.UTF_8));
            javax.sip.header.Header tenant = request.getHeader(TENANT_HEADER);
            Long tenantId = tenant == null ? null : Long.valueOf(((javax.sip.header.ExtensionHeader) tenant).getValue().trim());
            String caller = ((SipURI) ((FromHeader) request.getHeader(FromHeader.NAME)).getAddress().getURI()).getUser();
            session = new Session(this, st, request, offer, caller, ruri.getUser(), ruri.getParameter(SERVICE_PARAM), tenantId);
        } catch (IllegalArgumentException | ClassCastException e) {
            log.info("Media server refuses a call: {}", e.getMessage());
            respond(st, request, Response.NOT_ACCEPTABLE_HERE);
            return;
        } catch (IllegalStateException e) {
            respond(st, request, Response.SERVICE_UNAVAILABLE);
            return;
        }
        sessions.put(session.callId(), session);
        Thread.ofVirtual().name("media-app-" + kind).start(() -> {
            try {
                app.start(session);
            } catch (Exception e) {
                log.warn("Media application {} failed", kind, e);
                session.hangup("application error");
            }
        });
    }

    @Override
    public void processResponse(ResponseEvent event) {
        Response r = event.getResponse();
        if (!Request.INVITE.equals(((javax.sip.header.CSeqHeader) r.getHeader(javax.sip.header.CSeqHeader.NAME)).getMethod())) {
            return; // responses to our BYE, REFER, CANCEL: nothing to do
        }
        Session s = sessions.get(((CallIdHeader) r.getHeader(CallIdHeader.NAME)).getCallId());
        if (s != null) {
            s.response(event);
        }
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
        if (!event.isServerTransaction() && event.getClientTransaction() != null
                && Request.INVITE.equals(event.getClientTransaction().getRequest().getMethod())) {
            Session s = sessions.get(((CallIdHeader) event.getClientTransaction().getRequest().getHeader(CallIdHeader.NAME)).getCallId());
            if (s != null) {
                s.fail(new org.callibry.server.calls.CallFailedException(408, org.callibry.server.calls.CallFailedException.Result.FAILED,
                        "no response"));
            }
        }
    }

    @Override
    public java.util.concurrent.CompletableFuture<org.callibry.server.calls.CallSession> originate(Originate request) {
        String number = request.number();
        String callerId = request.callerId();
        Long tenantId = request.tenantId();
        java.time.Duration ringTimeout = request.ringTimeout();
        String callId = request.callId();
        if (provider == null) {
            return java.util.concurrent.CompletableFuture.failedFuture(new org.callibry.server.calls.CallFailedException(0,
                    org.callibry.server.calls.CallFailedException.Result.FAILED, "the media server is not running"));
        }
        Session session;
        try {
            int colon = signaling.lastIndexOf(':');
            SipURI target = addresses.createSipURI(number, signaling.substring(0, colon));
            target.setPort(Integer.parseInt(signaling.substring(colon + 1)));
            SipURI fromUri = addresses.createSipURI(callerId == null || callerId.isBlank() ? "media" : callerId, host());
            javax.sip.address.Address from = addresses.createAddress(fromUri);
            Request invite = messages.createRequest(target, Request.INVITE, provider.getNewCallId(),
                    headers.createCSeqHeader(1L, Request.INVITE),
                    headers.createFromHeader(from, Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong())),
                    headers.createToHeader(addresses.createAddress(target), null),
                    java.util.List.of(headers.createViaHeader(host(), sipPort, "udp", null)), headers.createMaxForwardsHeader(70));
            invite.addHeader(contact);
            if (tenantId != null) {
                invite.addHeader(headers.createHeader(TENANT_HEADER, tenantId.toString()));
            }
            if (callId != null) {
                invite.addHeader(headers.createHeader(CALL_HEADER, callId)); // a leg of that call: its events carry its id
            }
            for (Map.Entry<String, String> h : request.headers().entrySet()) {
                invite.addHeader(headers.createHeader(h.getKey(), h.getValue()));
            }
            session = new Session(this, invite, fromUri.getUser(), number, tenantId);
            invite.setContent(session.offerSdp(), headers.createContentTypeHeader("application", "sdp"));
            sessions.put(session.callId(), session);
            session.sendInvite(provider.getNewClientTransaction(invite));
        } catch (Exception e) {
            Session failed = sessions.values().stream().filter(x -> x.called().equals(number) && !x.isAnswered()).findFirst().orElse(null);
            if (failed != null) {
                failed.fail(new org.callibry.server.calls.CallFailedException(0, org.callibry.server.calls.CallFailedException.Result.FAILED,
                        "cannot send INVITE"));
            }
            return java.util.concurrent.CompletableFuture.failedFuture(new org.callibry.server.calls.CallFailedException(0,
                    org.callibry.server.calls.CallFailedException.Result.FAILED, "cannot call " + number + ": " + e.getMessage()));
        }
        Session s = session;
        java.util.concurrent.ScheduledFuture<?> noAnswer = timers.schedule(
                () -> s.notAnswered("no answer within " + ringTimeout.toSeconds() + " s"), ringTimeout.toMillis(),
                java.util.concurrent.TimeUnit.MILLISECONDS);
        java.util.concurrent.CompletableFuture<org.callibry.server.calls.CallSession> established = s.established();
        established.whenComplete((answered, failure) -> {
            noAnswer.cancel(false); // answered or failed: an offer refused at once no longer stays in memory for the ring time
            if (failure instanceof java.util.concurrent.CancellationException) {
                s.notAnswered("cancelled by the application"); // CANCEL, or BYE when the answer crossed it
            }
        });
        return established;
    }

    /** The proxies that may send us calls: this host, the configured signaling address, the heartbeat receivers. */
    private boolean fromSignaling(String ip) {
        if (ip.startsWith("127.") || ip.equals("::1") || ip.equals("0:0:0:0:0:0:0:1") || ip.equals(plane.advertised())) {
            return true;
        }
        if (signaling.startsWith(ip + ":") || signaling.startsWith("[" + ip + "]:")) {
            return true;
        }
        return signalingHosts.stream().anyMatch(h -> h.equals(ip));
    }

    @Override
    public boolean isMediaServer(String ip, int port) {
        boolean loopbackBound = properties.bindAddress().equals("0.0.0.0") || properties.bindAddress().startsWith("127.");
        if (provider != null && port == sipPort && (ip.equals(plane.advertised()) || ip.equals(properties.bindAddress())
                || loopbackBound && (ip.startsWith("127.") || ip.equals("::1")))) {
            return true;
        }
        String hostPort = (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + port;
        return nodes.hasSipAddress(hostPort);
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {
    }
}

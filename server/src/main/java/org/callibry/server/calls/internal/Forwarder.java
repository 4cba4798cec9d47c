package org.callibry.server.calls.internal;

import gov.nist.javax.sip.Utils;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import gov.nist.javax.sip.stack.SIPClientTransaction;
import javax.sip.ClientTransaction;
import javax.sip.InvalidArgumentException;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.address.Address;
import javax.sip.address.Hop;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.FromHeader;
import javax.sip.header.Header;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.ProxyAuthorizationHeader;
import javax.sip.header.RecordRouteHeader;
import javax.sip.header.RouteHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Message;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.callibry.server.calls.CallAnswered;
import org.callibry.server.calls.CallControl;
import org.callibry.server.calls.CallEnded;
import org.callibry.server.calls.MediaServers;
import org.callibry.server.directory.SipDirectory;
import org.callibry.server.relay.MediaRelay;
import org.callibry.server.routing.Destination;
import org.callibry.server.routing.RouteTarget;
import org.callibry.server.sip.core.Location;
import org.callibry.server.sip.core.Sip;
import org.callibry.server.sip.core.SipAccounts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;

/**
 * The proxy core's hands on the JAIN-SIP stack ({@link ProxyCall.Downstream}): resolves a route target
 * to request URIs (the contacts of an account, a gateway, a media server), builds each forwarded
 * request (RFC 3261 §16.6: Request-URI, Max-Forwards, Record-Route, Via; the caller-ID override, the
 * tenant header for the media server, and the relay's SDP rewrite), sends it on a client transaction,
 * and sends responses upstream. Also the loose-routing helpers in-dialog forwarding shares.
 */
final class Forwarder implements ProxyCall.Downstream {
    private static final Logger log = LoggerFactory.getLogger(Forwarder.class);

    private final Sip sip;
    private final SipAccounts accounts;
    private final Location location;
    private final MediaAnchor media;
    private final MediaServers mediaServers;
    private final Dialogs dialogs;
    private final ApplicationEventPublisher events;
    private final ScheduledExecutorService timers;
    private final Consumer<ProxyCall> settled;
    /** An INVITE branch with no response by this retransmission is given up ({@link CallProperties}); 0 = timer B. */
    private final int silentBranchRetransmissions;

    Forwarder(Sip sip, SipAccounts accounts, Location location, MediaAnchor media, MediaServers mediaServers, Dialogs dialogs,
              ApplicationEventPublisher events, ScheduledExecutorService timers, Consumer<ProxyCall> settled,
              int silentBranchRetransmissions) {
        this.sip = sip;
        this.accounts = accounts;
        this.location = location;
        this.media = media;
        this.mediaServers = mediaServers;
        this.dialogs = dialogs;
        this.events = events;
        this.timers = timers;
        this.settled = settled;
        this.silentBranchRetransmissions = silentBranchRetransmissions;
    }

    // ---------------------------------------------------------------- Downstream

    @Override
    public ProxyCall.Forks resolve(ProxyCall call, RouteTarget t) {
        List<ProxyCall.Fork> forks = new ArrayList<>();
        try {
            switch (t.destination()) {
                case Destination.LocalAccount local -> {
                    SipURI ruri = (SipURI) call.request.getRequestURI();
                    Optional<SipDirectory.Domain> domain = accounts.domain(ruri.getHost());
                    Optional<SipDirectory.Credentials> account = domain.flatMap(d -> accounts.account(d, t.bNumber()));
                    if (account.isEmpty() || !account.get().enabled()) {
                        return ProxyCall.Forks.none(Response.NOT_FOUND, "No such account");
                    }
                    for (Location.Binding b : location.bindings(account.get().accountId())) {
                        forks.add(new ProxyCall.Fork(sip.addresses.createURI(b.contact()), b.hop())); // RFC 3261 §16.5: every contact
                    }
                    if (forks.isEmpty()) {
                        return ProxyCall.Forks.none(Response.TEMPORARILY_UNAVAILABLE, "Not registered");
                    }
                }
                case Destination.Gateway gw -> {
                    SipURI uri = sip.addresses.createSipURI(t.bNumber(), gw.host());
                    if (gw.port() > 0) {
                        uri.setPort(gw.port());
                    }
                    if (gw.transport() != null) {
                        uri.setTransportParam(gw.transport());
                    }
                    forks.add(new ProxyCall.Fork(uri, null));
                }
                case Destination.MediaService service -> {
                    String kind = service.kind() == Destination.MediaService.Kind.MUSIC_ON_HOLD ? CallControl.MUSIC_ON_HOLD
                            : service.kind().name().toLowerCase(Locale.ROOT);
                    Optional<String> uri = mediaServers == null ? Optional.empty() : mediaServers.uri(kind, service.name(), t.bNumber());
                    if (uri.isEmpty()) {
                        return ProxyCall.Forks.none(Response.TEMPORARILY_UNAVAILABLE, "Media service " + kind + " not available");
                    }
                    forks.add(new ProxyCall.Fork(sip.addresses.createURI(uri.get()), null));
                }
            }
        } catch (ParseException e) {
            return ProxyCall.Forks.none(Response.SERVER_INTERNAL_ERROR, "Bad target: " + e.getMessage());
        }
        return ProxyCall.Forks.of(forks);
    }

    /** Every {@code X-Callibry-*} header: what a phone or gateway must not be able to claim. */
    static void removeOurHeaders(Request request) {
        java.util.List<String> ours = new java.util.ArrayList<>();
        request.getHeaderNames().forEachRemaining(n -> {
            if (n instanceof String name && name.regionMatches(true, 0, "X-Callibry-", 0, 11)) {
                ours.add(name);
            }
        });
        ours.forEach(request::removeHeader);
    }

    @Override
    public ProxyCall.Branch send(ProxyCall call, RouteTarget t, ProxyCall.Fork f) throws ProxyCall.ForwardingFailed {
        try {
            Request fwd = (Request) call.request.clone(); // RFC 3261 §16.6 step 1
            fwd.setRequestURI(f.uri()); // step 2
            fwd.removeHeader(ProxyAuthorizationHeader.NAME); // our credentials, consumed here (§22.3)
            decrementMaxForwards(fwd); // step 3
            if (t.callerId() != null || !t.aNumber().equals(call.aNumber)) {
                String asserted = t.callerId() != null ? t.callerId() : t.aNumber();
                fwd.setHeader(sip.headers.createHeader("P-Asserted-Identity", "<sip:" + asserted + "@" + sip.host + ">")); // RFC 3325
            }
            String transport = f.hop() != null ? f.hop().getTransport() : transportOf(f.uri());
            fwd.removeHeader(MediaServers.TENANT_HEADER); // only this proxy says which tenant a call belongs to
            fwd.removeHeader(MediaServers.CALL_HEADER);
            if (mediaServers == null || !mediaServers.isMediaServer(Sip.sourceIp(call.request), Sip.sourcePort(call.request))) {
                removeOurHeaders(fwd); // call ids, queue and wait for the console: only our media servers set them
            }
            if (t.destination() instanceof Destination.MediaService && call.tenantId != null) {
                fwd.setHeader(sip.headers.createHeader(MediaServers.TENANT_HEADER, call.tenantId.toString()));
            }
            if (call.isInvite()) {
                // step 4, RFC 5658: received on one transport and sent on another, the proxy records both sides,
                // so each party's in-dialog requests come back over the transport it uses
                String inbound = Sip.transport(call.request);
                fwd.addFirst(recordRoute(inbound));
                if (!inbound.equalsIgnoreCase(transport)) {
                    fwd.addFirst(recordRoute(transport));
                }
                anchorMedia(call, t, f, fwd);
            }
            fwd.addFirst(via(transport)); // step 8
            ProxyCall.Branch b = new ProxyCall.Branch(call, f.uri().toString(), f.hop());
            ClientTransaction ct = sip.newClientTransaction(fwd, f.hop());
            b.transaction = ct;
            ct.setApplicationData(b);
            if (call.isInvite() && silentBranchRetransmissions > 0 && ct instanceof SIPClientTransaction rt) {
                rt.alertIfStillInCallingStateBy(silentBranchRetransmissions); // a timeout event, then Proxy.timeout
            }
            ct.sendRequest();
            return b;
        } catch (ProxyCall.ForwardingFailed e) {
            throw e;
        } catch (ParseException | InvalidArgumentException | SipException | RuntimeException e) {
            log.debug("Cannot forward {} to {}: {}", call.request.getMethod(), f.uri(), e.getMessage());
            throw new ProxyCall.ForwardingFailed(Response.SERVICE_UNAVAILABLE, "Cannot reach " + f.uri());
        }
    }

    /** Anchors the call's media on the relay when it should be, and rewrites the offer in {@code fwd}. */
    private void anchorMedia(ProxyCall call, RouteTarget t, ProxyCall.Fork f, Request fwd) throws ProxyCall.ForwardingFailed {
        if (!call.initial) {
            return;
        }
        if (call.relayed == null && media.available() && shouldRelay(call, t, f)) {
            call.relayed = media.start(new MediaRelay.RelayCall(call.callId(), tag(call.request, FromHeader.NAME),
                    call.tenantId, call.aNumber, t.bNumber()), new MediaRelay.RelayOptions(t.record(), false, true));
        }
        if (call.relayed != null) {
            try {
                media.offer(call.relayed, fwd, tag(call.request, FromHeader.NAME));
            } catch (MediaRelay.MediaException e) {
                log.warn("Relay refused the offer of {}: {}", call.callId(), e.getMessage());
                throw new ProxyCall.ForwardingFailed(Response.NOT_ACCEPTABLE_HERE, "Media relay: " + e.getMessage());
            }
        }
    }

    @Override
    public void cancel(ProxyCall.Branch b) {
        if (!(b.transaction instanceof ClientTransaction ct)) {
            return;
        }
        try {
            sip.newClientTransaction(ct.createCancel(), b.hop).sendRequest(); // RFC 3261 §9.1, §16.10
        } catch (SipException | RuntimeException e) {
            log.debug("Cannot CANCEL {}: {}", b.uri, e.getMessage());
        }
    }

    @Override
    public void relay(ProxyCall call, Response response) {
        Response fwd = (Response) response.clone();
        fwd.removeFirst(ViaHeader.NAME); // RFC 3261 §16.7 step 3
        Response answer = call.answer();
        boolean otherFork = answer != null && !java.util.Objects.equals(tag(answer, ToHeader.NAME), tag(response, ToHeader.NAME));
        if (call.relayed != null && !otherFork) {
            rewriteAnswer(call, fwd); // a later fork's 2xx goes up untouched: the caller ACKs and BYEs that dialog
        }
        sip.send((ServerTransaction) call.st, fwd);
    }

    /** The SDP of a response: the answer to the request's offer, or the offer of a request that had none. */
    void rewriteAnswer(ProxyCall call, Response fwd) {
        if (!MediaAnchor.hasSdp(fwd) || !call.isInvite() && !Request.UPDATE.equals(call.request.getMethod())) {
            return;
        }
        try {
            if (MediaAnchor.hasSdp(call.request)) {
                media.answer(call.relayed, fwd, tag(call.request, FromHeader.NAME), tag(fwd, ToHeader.NAME));
            } else {
                media.offer(call.relayed, fwd, tag(fwd, ToHeader.NAME));
            }
        } catch (MediaRelay.MediaException e) {
            log.warn("Relay refused the SDP of a {} for {}: {}", fwd.getStatusCode(), call.callId(), e.getMessage());
        }
    }

    @Override
    public void answer(ProxyCall call, Response best, int code, String reason) {
        if (best != null) {
            Response fwd = (Response) best.clone();
            fwd.removeFirst(ViaHeader.NAME);
            if (fwd.getStatusCode() != code) {
                try {
                    fwd.setStatusCode(code);
                    fwd.setReasonPhrase(reason);
                } catch (ParseException e) {
                    log.debug("status code", e);
                }
            }
            sip.send((ServerTransaction) call.st, fwd);
        } else {
            sip.respond((ServerTransaction) call.st, call.request, code, reason, reason == null ? null : List.<Header>of(sip.reason(reason)));
        }
    }

    @Override
    public Runnable schedule(Duration delay, Runnable task) {
        ScheduledFuture<?> f = timers.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public void answered(ProxyCall call, ProxyCall.Branch branch, Response response) {
        if (!call.initial && Request.REFER.equals(call.request.getMethod())) {
            dialogs.transferAccepted(call.request); // RFC 3515 §2.4.2: accepted; the transferee calls the target
            return;
        }
        if (call.isInvite() && call.initial) {
            settled.accept(call);
            dialogs.answered(call, branch, response);
            events.publishEvent(new CallAnswered(call.call, call.tenantId, call.aNumber, call.bNumber, branch.uri, Instant.now()));
        }
    }

    @Override
    public void failed(ProxyCall call, CallEnded.Disposition disposition, int code, String reason) {
        settled.accept(call);
        media.end(call.callId(), "call failed");
        events.publishEvent(call.ended(disposition, code, reason));
    }

    // ---------------------------------------------------------------- helpers shared with in-dialog forwarding

    /** Relay when the route asks for it, or when either party is behind NAT (its media would not arrive). */
    private static boolean shouldRelay(ProxyCall call, RouteTarget t, ProxyCall.Fork f) {
        if (t.destination() instanceof Destination.MediaService) {
            return t.record(); // the media server anchors the media itself; the relay only to record the call
        }
        if (t.relayMedia() || callerBehindNat(call.request)) {
            return true;
        }
        Hop hop = f.hop();
        return hop != null && f.uri() instanceof SipURI u
                && (!hop.getHost().equals(u.getHost()) || hop.getPort() != (u.getPort() > 0 ? u.getPort() : 5060));
    }

    /** The caller's Contact is not the address its request came from (RFC 3581 §1). */
    private static boolean callerBehindNat(Request request) {
        javax.sip.header.ContactHeader contact = (javax.sip.header.ContactHeader) request.getHeader(javax.sip.header.ContactHeader.NAME);
        if (contact == null || !(contact.getAddress().getURI() instanceof SipURI u)) {
            return false;
        }
        return !u.getHost().equals(Sip.sourceIp(request)) || (u.getPort() > 0 ? u.getPort() : 5060) != Sip.sourcePort(request);
    }

    ViaHeader via(String transport) throws ParseException, InvalidArgumentException {
        return sip.headers.createViaHeader(sip.host, sip.port, transport, Utils.getInstance().generateBranchId());
    }

    void decrementMaxForwards(Request r) throws InvalidArgumentException {
        MaxForwardsHeader mf = (MaxForwardsHeader) r.getHeader(MaxForwardsHeader.NAME);
        if (mf == null) {
            r.setHeader(sip.headers.createMaxForwardsHeader(69));
        } else {
            try {
                mf.decrementMaxForwards();
            } catch (javax.sip.header.TooManyHopsException e) {
                throw new InvalidArgumentException("Max-Forwards exhausted");
            }
        }
    }

    /** Removes the Route entries naming this proxy at the top (one, or two when double record-routed; RFC 3261 §16.4). */
    boolean removeOwnRoutes(Request request) {
        boolean removed = false;
        RouteHeader top = (RouteHeader) request.getHeader(RouteHeader.NAME);
        while (top != null && top.getAddress().getURI() instanceof SipURI r && sip.isMe(r, accounts)) {
            request.removeFirst(RouteHeader.NAME);
            removed = true;
            top = (RouteHeader) request.getHeader(RouteHeader.NAME);
        }
        return removed;
    }

    private RecordRouteHeader recordRoute(String transport) throws ParseException {
        SipURI me = sip.addresses.createSipURI(null, sip.host);
        boolean tls = "tls".equalsIgnoreCase(transport) && sip.tlsPort > 0;
        me.setPort(tls ? sip.tlsPort : sip.port);
        if (!"udp".equalsIgnoreCase(transport)) {
            me.setTransportParam(transport.toLowerCase(Locale.ROOT));
        }
        me.setLrParam(); // loose routing, RFC 3261 §16.6 step 4
        Address a = sip.addresses.createAddress(me);
        return sip.headers.createRecordRouteHeader(a);
    }

    static String transportOf(URI uri) {
        if (uri instanceof SipURI s) {
            if (s.isSecure()) {
                return "tls";
            }
            String t = s.getTransportParam();
            if (t != null) {
                return t.toLowerCase(Locale.ROOT);
            }
        }
        return "udp";
    }

    static String tag(Message m, String header) {
        return header.equals(FromHeader.NAME) ? ((FromHeader) m.getHeader(FromHeader.NAME)).getTag()
                : ((ToHeader) m.getHeader(ToHeader.NAME)).getTag();
    }
}

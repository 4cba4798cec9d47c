package org.callibry.server.sip.internal;

import gov.nist.javax.sip.Utils;
import gov.nist.javax.sip.stack.SIPServerTransaction;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.sip.ClientTransaction;
import javax.sip.InvalidArgumentException;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.address.Address;
import javax.sip.address.Hop;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.Header;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.ProxyAuthorizationHeader;
import javax.sip.header.RecordRouteHeader;
import javax.sip.header.RouteHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.callibry.server.directory.SipDirectory;
import org.callibry.server.relay.MediaRelay;
import org.callibry.server.mediaserver.MediaServices;
import org.callibry.server.routing.CallRouting;
import org.callibry.server.routing.Destination;
import org.callibry.server.routing.RouteQuery;
import org.callibry.server.routing.RouteTarget;
import org.callibry.server.routing.RoutingDecision;
import org.callibry.server.sip.CallAttemptEnded;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;

/**
 * The transaction-stateful proxy (RFC 3261 §16): authenticates callers (407), asks the routing
 * decision for targets, forks in parallel to every registered contact of a local account or sends to
 * a gateway, record-routes, relays provisional and final responses (the best one, §16.7), fails over
 * to the next target on the configured failure classes, handles CANCEL and the no-answer timer, and
 * forwards in-dialog requests by loose routing (§16.4). Each INVITE attempt ends in one
 * {@link CallAttemptEnded} event.
 */
final class Proxy {
    private static final Logger log = LoggerFactory.getLogger(Proxy.class);
    static final String ALLOW = "INVITE, ACK, CANCEL, BYE, OPTIONS, MESSAGE, REGISTER, INFO, UPDATE, REFER, NOTIFY, PRACK";

    /** One request being proxied: its server transaction, targets, branches and outcome. */
    final class Call {
        final ServerTransaction st;
        final Request request;
        final boolean initial;
        final List<RouteTarget> targets;
        final String source;
        final String aNumber;
        final String bNumber;
        final Long tenantId;
        final Instant startedAt = Instant.now();
        final List<Branch> branches = new ArrayList<>();
        int nextTarget;
        RouteTarget target;
        Response best;
        int bestCode;
        String bestReason;
        boolean finalSent;
        Instant answeredAt;
        String destination;
        ScheduledFuture<?> noAnswer;
        Disposition forcedDisposition;
        MediaAnchor.Relayed relayed;
        Response answer;
        Branch answeredBranch;
        /** Highest CSeq each party has used in the dialog (our own BYEs must go above it, RFC 3261 §12.2.1.1). */
        volatile long callerCSeq;
        volatile long calleeCSeq;

        Call(ServerTransaction st, Request request, boolean initial, List<RouteTarget> targets, String source, String aNumber,
             String bNumber, Long tenantId) {
            this.st = st;
            this.request = request;
            this.initial = initial;
            this.targets = targets;
            this.source = source;
            this.aNumber = aNumber;
            this.bNumber = bNumber;
            this.tenantId = tenantId;
        }

        boolean isInvite() {
            return Request.INVITE.equals(request.getMethod());
        }

        String callId() {
            return ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId();
        }
    }

    private enum Disposition { NO_ANSWER, CANCELLED }

    /** One forked request: its client transaction and where it went. */
    static final class Branch {
        final Call call;
        final String uri;
        final Hop hop;
        ClientTransaction ct;
        boolean done;

        Branch(Call call, String uri, Hop hop) {
            this.call = call;
            this.uri = uri;
            this.hop = hop;
        }
    }

    private final Sip sip;
    private final SipAccounts accounts;
    private final Location location;
    private final Authenticator auth;
    private final CallRouting routing;
    private final Peers peers;
    private final SipProperties properties;
    private final ApplicationEventPublisher events;
    private final ScheduledExecutorService timers;
    private final MediaAnchor media;
    private final MediaServices mediaServices;
    /** INVITEs not answered finally yet, by Call-ID and top Via branch (what a CANCEL carries). */
    private final Map<String, Call> pending = new ConcurrentHashMap<>();
    /** Answered calls waiting for their BYE, by Call-ID. */
    private final Map<String, Call> answered = new ConcurrentHashMap<>();

    Proxy(Sip sip, SipAccounts accounts, Location location, Authenticator auth, CallRouting routing, Peers peers,
          SipProperties properties, ApplicationEventPublisher events, ScheduledExecutorService timers, MediaAnchor media,
          MediaServices mediaServices) {
        this.media = media;
        this.mediaServices = mediaServices;
        this.sip = sip;
        this.accounts = accounts;
        this.location = location;
        this.auth = auth;
        this.routing = routing;
        this.peers = peers;
        this.properties = properties;
        this.events = events;
        this.timers = timers;
    }

    // ---------------------------------------------------------------- requests

    /** Any request but REGISTER, ACK and CANCEL. */
    void request(ServerTransaction st, Request request) {
        MaxForwardsHeader mf = (MaxForwardsHeader) request.getHeader(MaxForwardsHeader.NAME);
        boolean toMe = request.getRequestURI() instanceof SipURI u && sip.isMe(u, accounts) && u.getUser() == null;
        if (Request.OPTIONS.equals(request.getMethod()) && toMe) {
            sip.respond(st, request, Response.OK, null, allow());
            return;
        }
        if (mf != null && mf.getMaxForwards() <= 0) {
            sip.respond(st, request, Response.TOO_MANY_HOPS); // RFC 3261 §16.3 step 3
            return;
        }
        if (passedHereBefore(request)) {
            sip.respond(st, request, Response.LOOP_DETECTED); // RFC 3261 §16.3 step 4
            return;
        }
        String toTag = ((ToHeader) request.getHeader(ToHeader.NAME)).getTag();
        if (toTag != null) {
            inDialog(st, request);
            return;
        }
        String method = request.getMethod();
        if (!(Request.INVITE.equals(method) || Request.MESSAGE.equals(method) || Request.OPTIONS.equals(method))) {
            if (isKnown(method)) {
                sip.respond(st, request, Response.METHOD_NOT_ALLOWED, null, allow());
            } else {
                sip.respond(st, request, Response.NOT_IMPLEMENTED);
            }
            return;
        }
        if (!(request.getRequestURI() instanceof SipURI ruri)) {
            sip.respond(st, request, Response.UNSUPPORTED_URI_SCHEME);
            return;
        }
        FromHeader from = (FromHeader) request.getHeader(FromHeader.NAME);
        if (!(from.getAddress().getURI() instanceof SipURI fromUri)) {
            sip.respond(st, request, Response.FORBIDDEN, "Caller URI not SIP", null);
            return;
        }
        String source = Sip.sourceIp(request);
        Optional<Peers.Peer> peer = peers.match(source);
        Long tenantId;
        if (mediaServices != null && mediaServices.isMediaServer(source, Sip.sourcePort(request))) {
            // a call the media server originates (dialer, transfers): trusted, on behalf of the tenant it names
            javax.sip.header.Header t = request.getHeader(MediaServices.TENANT_HEADER);
            try {
                tenantId = t instanceof javax.sip.header.ExtensionHeader e ? Long.valueOf(e.getValue().trim()) : null;
            } catch (NumberFormatException e) {
                sip.respond(st, request, Response.BAD_REQUEST, "Bad " + MediaServices.TENANT_HEADER, null);
                return;
            }
        } else if (peer.isPresent()) {
            tenantId = peer.get().tenantId();
        } else {
            Optional<SipDirectory.Domain> domain = accounts.domain(fromUri.getHost());
            if (domain.isEmpty()) {
                // not our user and not a known peer: no relaying for strangers
                sip.respond(st, request, Response.FORBIDDEN, "Caller domain not served here", null);
                return;
            }
            Optional<SipDirectory.Credentials> caller = auth.authenticate(st, request, domain.get(), fromUri.getUser(),
                    ProxyAuthorizationHeader.NAME);
            if (caller.isEmpty()) {
                return;
            }
            tenantId = caller.get().tenantId();
        }
        RouteQuery query = new RouteQuery(fromUri.getUser(), fromUri.getHost(), source, ruri.getUser(), ruri.getHost(), Instant.now());
        RoutingDecision decision = routing.decide(query);
        Call call = new Call(st, request, true, decision.targets(), source + ":" + Sip.sourcePort(request), fromUri.getUser(),
                ruri.getUser(), tenantId);
        if (!decision.routable()) {
            synchronized (call) {
                call.bestCode = Response.FORBIDDEN;
                call.bestReason = "No route";
                sendFinal(call);
            }
            return;
        }
        if (call.isInvite()) {
            sip.respond(st, request, Response.TRYING);
            pending.put(pendingKey(request), call);
            call.noAnswer = timers.schedule(() -> noAnswer(call), properties.noAnswerTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }
        st.setApplicationData(call);
        synchronized (call) {
            nextTarget(call);
        }
    }

    /** Tries targets from {@code call.nextTarget} until one gets at least one branch out; else answers. */
    private void nextTarget(Call call) {
        while (call.nextTarget < call.targets.size()) {
            RouteTarget t = call.targets.get(call.nextTarget++);
            call.target = t;
            call.branches.clear();
            for (Fork f : resolve(call, t)) {
                send(call, f);
            }
            if (!call.branches.isEmpty()) {
                return;
            }
            if (!t.continueOnFailure()) {
                break;
            }
        }
        sendFinal(call);
    }

    private record Fork(URI uri, Hop hop) {
    }

    /** The request URIs (and next hops) of a target; on none, records why in the call's best answer. */
    private List<Fork> resolve(Call call, RouteTarget t) {
        List<Fork> forks = new ArrayList<>();
        try {
            switch (t.destination()) {
                case Destination.LocalAccount local -> {
                    SipURI ruri = (SipURI) call.request.getRequestURI();
                    Optional<SipDirectory.Domain> domain = accounts.domain(ruri.getHost());
                    Optional<SipDirectory.Credentials> account = domain.flatMap(d -> accounts.account(d, t.bNumber()));
                    if (account.isEmpty() || !account.get().enabled()) {
                        fail(call, Response.NOT_FOUND, "No such account");
                        return forks;
                    }
                    for (Location.Binding b : location.bindings(account.get().accountId())) {
                        forks.add(new Fork(sip.addresses.createURI(b.contact()), b.hop()));
                    }
                    if (forks.isEmpty()) {
                        fail(call, Response.TEMPORARILY_UNAVAILABLE, "Not registered");
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
                    forks.add(new Fork(uri, null));
                }
                case Destination.MediaService media -> {
                    String kind = media.kind() == Destination.MediaService.Kind.MUSIC_ON_HOLD ? MediaServices.MUSIC_ON_HOLD
                            : media.kind().name().toLowerCase(java.util.Locale.ROOT);
                    Optional<String> uri = mediaServices == null ? Optional.empty() : mediaServices.uri(kind, media.name(), t.bNumber());
                    if (uri.isEmpty()) {
                        fail(call, Response.TEMPORARILY_UNAVAILABLE, "Media service " + kind + " not available");
                    } else {
                        forks.add(new Fork(sip.addresses.createURI(uri.get()), null));
                    }
                }
            }
        } catch (ParseException e) {
            fail(call, Response.SERVER_INTERNAL_ERROR, "Bad target: " + e.getMessage());
        }
        return forks;
    }

    private void fail(Call call, int code, String reason) {
        if (call.best == null && (call.bestCode == 0 || better(code, call.bestCode))) {
            call.bestCode = code;
            call.bestReason = reason;
        }
    }

    private void send(Call call, Fork f) {
        try {
            Request fwd = (Request) call.request.clone();
            fwd.setRequestURI(f.uri());
            fwd.removeHeader(ProxyAuthorizationHeader.NAME);
            decrementMaxForwards(fwd);
            RouteTarget t = call.target;
            if (t != null && (t.callerId() != null || !t.aNumber().equals(call.aNumber))) {
                String asserted = t.callerId() != null ? t.callerId() : t.aNumber();
                fwd.setHeader(sip.headers.createHeader("P-Asserted-Identity", "<sip:" + asserted + "@" + sip.host + ">"));
            }
            String transport = f.hop() != null ? f.hop().getTransport() : transportOf(f.uri());
            fwd.removeHeader(MediaServices.TENANT_HEADER); // only this proxy says which tenant a call belongs to
            if (t != null && t.destination() instanceof Destination.MediaService && call.tenantId != null) {
                fwd.setHeader(sip.headers.createHeader(MediaServices.TENANT_HEADER, call.tenantId.toString()));
            }
            if (call.isInvite()) {
                // RFC 5658: received on one transport and sent on another, the proxy records both sides,
                // so each party's in-dialog requests come back over the transport it uses
                String inbound = Sip.transport(call.request);
                fwd.addFirst(recordRoute(inbound));
                if (!inbound.equalsIgnoreCase(transport)) {
                    fwd.addFirst(recordRoute(transport));
                }
            }
            if (call.isInvite() && call.initial) {
                if (call.relayed == null && media.available() && shouldRelay(call, t, f)) {
                    call.relayed = media.start(new MediaRelay.RelayCall(call.callId(), tag(call.request, FromHeader.NAME),
                            call.tenantId, call.aNumber, t.bNumber()), new MediaRelay.RelayOptions(t.record(), false, true));
                }
                if (call.relayed != null) {
                    try {
                        media.offer(call.relayed, fwd, tag(call.request, FromHeader.NAME));
                    } catch (MediaRelay.MediaException e) {
                        log.warn("Relay refused the offer of {}: {}", call.callId(), e.getMessage());
                        fail(call, Response.NOT_ACCEPTABLE_HERE, "Media relay: " + e.getMessage());
                        return;
                    }
                }
            }
            fwd.addFirst(sip.headers.createViaHeader(sip.host, sip.port, transport, Utils.getInstance().generateBranchId()));
            Branch b = new Branch(call, f.uri().toString(), f.hop());
            b.ct = newClientTransaction(fwd, f.hop());
            b.ct.setApplicationData(b);
            call.branches.add(b);
            call.destination = b.uri;
            b.ct.sendRequest();
        } catch (ParseException | InvalidArgumentException | SipException | RuntimeException e) {
            log.debug("Cannot forward {} to {}: {}", call.request.getMethod(), f.uri(), e.getMessage());
            fail(call, Response.SERVICE_UNAVAILABLE, "Cannot reach " + f.uri());
            call.branches.removeIf(b -> b.ct == null);
        }
    }

    private ClientTransaction newClientTransaction(Request request, Hop hop) throws SipException {
        NextHopRouter.OVERRIDE.set(hop);
        try {
            return sip.provider.getNewClientTransaction(request);
        } finally {
            NextHopRouter.OVERRIDE.remove();
        }
    }

    /** In-dialog requests (To tag present): loose routing, RFC 3261 §16.4 and §16.12. */
    private void inDialog(ServerTransaction st, Request request) {
        try {
            Request fwd = (Request) request.clone();
            boolean routedByUs = removeOwnRoutes(fwd);
            Hop hop = null;
            if (fwd.getHeader(RouteHeader.NAME) == null) {
                if (fwd.getRequestURI() instanceof SipURI target && sip.isMe(target, accounts)) {
                    sip.respond(st, request, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
                    return;
                }
                Optional<Location.Binding> contact = location.byContact(fwd.getRequestURI().toString());
                if (!routedByUs && contact.isEmpty()) {
                    // neither on a route set we are part of nor towards one of our phones: no relaying
                    sip.respond(st, request, Response.FORBIDDEN, "Not a dialog routed here", null);
                    return;
                }
                hop = contact.map(Location.Binding::hop).orElse(null);
            } else if (!routedByUs) {
                sip.respond(st, request, Response.FORBIDDEN, "Not a dialog routed here", null);
                return;
            }
            decrementMaxForwards(fwd);
            String transport = hop != null ? hop.getTransport() : transportOf(fwd.getRequestURI());
            fwd.addFirst(sip.headers.createViaHeader(sip.host, sip.port, transport, Utils.getInstance().generateBranchId()));
            Call call = new Call(st, request, false, List.of(), Sip.sourceIp(request), null, null, null);
            call.relayed = media.get(call.callId());
            Call dialog = answered.get(call.callId());
            if (dialog != null) {
                long cseq = ((CSeqHeader) request.getHeader(CSeqHeader.NAME)).getSeqNumber();
                if (isFromCaller(dialog, request)) {
                    dialog.callerCSeq = Math.max(dialog.callerCSeq, cseq);
                } else {
                    dialog.calleeCSeq = Math.max(dialog.calleeCSeq, cseq);
                }
            }
            if (call.relayed != null && (Request.INVITE.equals(request.getMethod()) || Request.UPDATE.equals(request.getMethod()))) {
                try {
                    media.offer(call.relayed, fwd, tag(request, FromHeader.NAME)); // re-INVITE or UPDATE: hold, resume, codec change
                } catch (MediaRelay.MediaException e) {
                    sip.respond(st, request, Response.NOT_ACCEPTABLE_HERE, "Media relay: " + e.getMessage(), null);
                    return;
                }
            }
            st.setApplicationData(call);
            Branch b = new Branch(call, fwd.getRequestURI().toString(), hop);
            synchronized (call) {
                b.ct = newClientTransaction(fwd, hop);
                b.ct.setApplicationData(b);
                call.branches.add(b);
                b.ct.sendRequest();
            }
            if (Request.BYE.equals(request.getMethod())) {
                String callId = ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId();
                Call ended = answered.get(callId);
                // only the BYE of the dialog that was answered ends the call: with parallel forking the caller
                // also BYEs the second 2xx's dialog (RFC 3261 §13.2.2.4), which must leave the call alone
                if (ended != null && isOfAnsweredDialog(ended, request) && answered.remove(callId, ended)) {
                    publish(ended, CallAttemptEnded.Disposition.ANSWERED, 200, "BYE from " + (isFromCaller(ended, request) ? "caller" : "callee"));
                    media.end(callId, "BYE");
                } else if (ended == null) {
                    media.end(callId, "BYE");
                }
            }
        } catch (ParseException | InvalidArgumentException | SipException | RuntimeException e) {
            log.debug("Cannot forward in-dialog {}: {}", request.getMethod(), e.getMessage());
            sip.respond(st, request, Response.SERVICE_UNAVAILABLE);
        }
    }

    private static boolean isOfAnsweredDialog(Call call, Request r) {
        if (call.answer == null) {
            return true;
        }
        String callerTag = tag(call.request, FromHeader.NAME);
        String calleeTag = tag(call.answer, ToHeader.NAME);
        String from = tag(r, FromHeader.NAME);
        String to = tag(r, ToHeader.NAME);
        return java.util.Objects.equals(from, callerTag) && java.util.Objects.equals(to, calleeTag)
                || java.util.Objects.equals(from, calleeTag) && java.util.Objects.equals(to, callerTag);
    }

    private static boolean isFromCaller(Call call, Request bye) {
        String callerTag = ((FromHeader) call.request.getHeader(FromHeader.NAME)).getTag();
        return callerTag != null && callerTag.equals(((FromHeader) bye.getHeader(FromHeader.NAME)).getTag());
    }

    /** ACK for a 2xx: forwarded statelessly along the route set (ACKs for failures end in the transaction layer). */
    void ack(Request request) {
        try {
            Request fwd = (Request) request.clone();
            removeOwnRoutes(fwd);
            if (fwd.getHeader(RouteHeader.NAME) == null && fwd.getRequestURI() instanceof SipURI target && sip.isMe(target, accounts)) {
                return; // an ACK for us: nothing to forward
            }
            Hop hop = fwd.getHeader(RouteHeader.NAME) != null ? null : location.byContact(fwd.getRequestURI().toString())
                    .map(Location.Binding::hop).orElse(null);
            MediaAnchor.Relayed relayed = media.get(((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId());
            if (relayed != null && MediaAnchor.hasSdp(fwd)) {
                // the answer of a late offer (offer in the 2xx, RFC 3261 §13.2.1); the offerer is the 2xx's sender
                try {
                    media.answer(relayed, fwd, tag(request, ToHeader.NAME), tag(request, FromHeader.NAME));
                } catch (MediaRelay.MediaException e) {
                    log.warn("Relay refused the answer in the ACK of {}: {}", relayed.call().callId(), e.getMessage());
                }
            }
            decrementMaxForwards(fwd);
            ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
            // a stateless proxy derives its branch from the incoming one (RFC 3261 §16.11)
            String branch = "z9hG4bK" + Integer.toHexString((via.getBranch() + "callibry").hashCode()) + "a";
            String transport = hop != null ? hop.getTransport() : transportOf(fwd.getRequestURI());
            fwd.addFirst(sip.headers.createViaHeader(sip.host, sip.port, transport, branch));
            NextHopRouter.OVERRIDE.set(hop);
            try {
                sip.provider.sendRequest(fwd);
            } finally {
                NextHopRouter.OVERRIDE.remove();
            }
        } catch (ParseException | InvalidArgumentException | SipException | RuntimeException e) {
            log.debug("Cannot forward ACK: {}", e.getMessage());
        }
    }

    /** CANCEL (RFC 3261 §16.10): 200 to the CANCEL, CANCEL on every pending branch, 487 to the INVITE. */
    void cancel(ServerTransaction st, Request request) {
        Call call = pending.get(pendingKey(request));
        if (call == null && st instanceof SIPServerTransaction s && s.getCanceledInviteTransaction() != null) {
            Object data = s.getCanceledInviteTransaction().getApplicationData();
            call = data instanceof Call c ? c : null;
        }
        if (call == null) {
            sip.respond(st, request, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
            return;
        }
        sip.respond(st, request, Response.OK);
        synchronized (call) {
            if (call.finalSent) {
                return;
            }
            cancelBranches(call, null);
            call.forcedDisposition = Disposition.CANCELLED;
            call.best = null;
            call.bestCode = Response.REQUEST_TERMINATED;
            call.bestReason = null;
            sendFinal(call);
        }
    }

    private void noAnswer(Call call) {
        synchronized (call) {
            if (call.finalSent) {
                return;
            }
            cancelBranches(call, null);
            call.branches.forEach(b -> b.done = true);
            call.best = null;
            call.bestCode = Response.TEMPORARILY_UNAVAILABLE;
            call.bestReason = "No answer";
            call.forcedDisposition = Disposition.NO_ANSWER;
            failover(call, Response.REQUEST_TIMEOUT);
        }
    }

    // ---------------------------------------------------------------- responses

    void response(ClientTransaction ct, Response response) {
        if (ct == null) {
            stray(response);
            return;
        }
        if (!(ct.getApplicationData() instanceof Branch b)) {
            return; // a response to our CANCEL
        }
        Call call = b.call;
        int code = response.getStatusCode();
        synchronized (call) {
            if (code < 200) {
                if (code > 100 && !call.finalSent) {
                    relay(call, response);
                }
                return;
            }
            b.done = true;
            if (code < 300) {
                relay(call, response); // every 2xx goes upstream, even from several forks (RFC 3261 §16.7 step 5)
                if (!call.finalSent) {
                    call.finalSent = true;
                    call.answeredAt = Instant.now();
                    call.destination = b.uri;
                    call.answer = response;
                    call.answeredBranch = b;
                    cancelBranches(call, b);
                    stopTimer(call);
                    if (call.isInvite()) {
                        pending.remove(pendingKey(call.request));
                        answered.put(call.callId(), call);
                    }
                }
                return;
            }
            if (call.finalSent) {
                return;
            }
            if (call.best == null || better(code, call.best.getStatusCode())) {
                call.best = response;
                call.bestCode = code;
            }
            if (code >= 600) {
                cancelBranches(call, b); // a 6xx ends the search (RFC 3261 §16.7 step 5)
                sendFinal(call);
                return;
            }
            if (call.branches.stream().allMatch(x -> x.done)) {
                failover(call, code);
            }
        }
    }

    /** After every branch of a target failed: the next target when the route allows it, else the best answer. */
    private void failover(Call call, int code) {
        if (call.initial && call.target != null && call.target.continueOnFailure() && properties.failsOver(code)
                && call.nextTarget < call.targets.size()) {
            call.best = null;
            call.bestCode = 0;
            call.forcedDisposition = null;
            nextTarget(call);
        } else {
            sendFinal(call);
        }
    }

    void timeout(ClientTransaction ct) {
        if (ct == null || !(ct.getApplicationData() instanceof Branch b)) {
            return;
        }
        Call call = b.call;
        synchronized (call) {
            if (b.done || call.finalSent) {
                return;
            }
            b.done = true;
            fail(call, Response.REQUEST_TIMEOUT, "No response from " + b.uri);
            if (call.branches.stream().allMatch(x -> x.done)) {
                failover(call, Response.REQUEST_TIMEOUT);
            }
        }
    }

    /** A response matching no transaction (a retransmitted 2xx): forwarded statelessly by its Via. */
    private void stray(Response response) {
        ViaHeader top = (ViaHeader) response.getHeader(ViaHeader.NAME);
        if (top == null || !sip.host.equalsIgnoreCase(top.getHost()) || (top.getPort() > 0 ? top.getPort() : 5060) != sip.port) {
            return;
        }
        Response fwd = (Response) response.clone();
        fwd.removeFirst(ViaHeader.NAME);
        Call call = answered.get(((CallIdHeader) response.getHeader(CallIdHeader.NAME)).getCallId());
        CSeqHeader cseq = (CSeqHeader) response.getHeader(CSeqHeader.NAME);
        if (call != null && call.relayed != null && call.answer != null && Request.INVITE.equals(cseq.getMethod())
                && cseq.getSeqNumber() == ((CSeqHeader) call.request.getHeader(CSeqHeader.NAME)).getSeqNumber()
                && java.util.Objects.equals(tag(call.answer, ToHeader.NAME), tag(response, ToHeader.NAME))) {
            rewriteAnswer(call, fwd); // a retransmission of the answered 2xx: the same rewrite again
        }
        if (fwd.getHeader(ViaHeader.NAME) != null) {
            try {
                sip.provider.sendResponse(fwd);
            } catch (SipException | RuntimeException e) {
                log.debug("Cannot forward stray response: {}", e.getMessage());
            }
        }
    }

    private void relay(Call call, Response response) {
        Response fwd = (Response) response.clone();
        fwd.removeFirst(ViaHeader.NAME);
        boolean otherFork = call.answer != null && !java.util.Objects.equals(tag(call.answer, ToHeader.NAME), tag(response, ToHeader.NAME));
        if (call.relayed != null && !otherFork) {
            rewriteAnswer(call, fwd); // a later fork's 2xx goes up untouched: the caller ACKs and BYEs that dialog
        }
        sip.send(call.st, fwd);
    }

    /** The SDP of a response: the answer to the request's offer, or the offer of a request that had none. */
    private void rewriteAnswer(Call call, Response fwd) {
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

    /** Relay when the route asks for it, or when either party is behind NAT (its media would not arrive). */
    private boolean shouldRelay(Call call, RouteTarget t, Fork f) {
        if (t.destination() instanceof Destination.MediaService) {
            return false; // the media server anchors the media itself
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

    static String tag(javax.sip.message.Message m, String header) {
        return header.equals(FromHeader.NAME) ? ((FromHeader) m.getHeader(FromHeader.NAME)).getTag()
                : ((ToHeader) m.getHeader(ToHeader.NAME)).getTag();
    }

    /** Sends the best final answer upstream (RFC 3261 §16.7 step 6), and ends the attempt's record. */
    private void sendFinal(Call call) {
        if (call.finalSent) {
            return;
        }
        call.finalSent = true;
        stopTimer(call);
        cancelBranches(call, null);
        int code;
        String reason;
        if (call.best != null) {
            Response fwd = (Response) call.best.clone();
            fwd.removeFirst(ViaHeader.NAME);
            if (fwd.getStatusCode() == Response.SERVICE_UNAVAILABLE) {
                try {
                    fwd.setStatusCode(Response.SERVER_INTERNAL_ERROR); // §16.7 step 6: a 503 is not passed on
                } catch (ParseException e) {
                    log.debug("status code", e);
                }
            }
            code = fwd.getStatusCode();
            reason = fwd.getReasonPhrase();
            sip.send(call.st, fwd);
        } else {
            code = call.bestCode == 0 ? Response.TEMPORARILY_UNAVAILABLE : call.bestCode;
            reason = call.bestReason;
            sip.respond(call.st, call.request, code, reason, reason == null ? null : List.<Header>of(sip.reason(reason)));
        }
        if (call.isInvite() && call.initial) {
            pending.remove(pendingKey(call.request));
            media.end(call.callId(), "call failed");
            CallAttemptEnded.Disposition d = call.forcedDisposition == Disposition.CANCELLED ? CallAttemptEnded.Disposition.CANCELLED
                    : call.forcedDisposition == Disposition.NO_ANSWER ? CallAttemptEnded.Disposition.NO_ANSWER
                    : code == Response.BUSY_HERE || code == Response.BUSY_EVERYWHERE ? CallAttemptEnded.Disposition.BUSY
                    : code == Response.REQUEST_TIMEOUT || code == Response.TEMPORARILY_UNAVAILABLE && call.destination != null
                    ? CallAttemptEnded.Disposition.NO_ANSWER : CallAttemptEnded.Disposition.FAILED;
            publish(call, d, code, reason == null ? code + "" : code + " " + reason);
        }
    }

    private void cancelBranches(Call call, Branch except) {
        for (Branch b : call.branches) {
            if (b == except || b.done || b.ct == null || !call.isInvite()) {
                continue;
            }
            b.done = true;
            try {
                Request cancel = b.ct.createCancel();
                ClientTransaction cct = newClientTransaction(cancel, b.hop);
                cct.sendRequest();
            } catch (SipException | RuntimeException e) {
                log.debug("Cannot CANCEL {}: {}", b.uri, e.getMessage());
            }
        }
    }

    private void stopTimer(Call call) {
        if (call.noAnswer != null) {
            call.noAnswer.cancel(false);
        }
    }

    private void publish(Call call, CallAttemptEnded.Disposition disposition, int code, String reason) {
        RouteTarget t = call.target;
        events.publishEvent(new CallAttemptEnded(call.callId(), call.aNumber, call.bNumber,
                t == null ? call.aNumber : t.callerId() != null ? t.callerId() : t.aNumber(),
                t == null ? call.bNumber : t.bNumber(), call.source, call.destination, t == null ? null : t.routeName(),
                call.tenantId, call.startedAt, call.answeredAt, Instant.now(), disposition, code, reason));
    }

    /**
     * Ends answered relayed calls whose media stopped (a phone crashed or lost its network): BYE to
     * both parties, and the record says why.
     */
    void endSilentCalls(long timeoutSeconds) {
        for (Call c : answered.values()) {
            if (c.relayed == null || c.answer == null) {
                continue;
            }
            long idle = media.idleSeconds(c.callId());
            if (idle < timeoutSeconds) {
                continue;
            }
            if (answered.remove(c.callId(), c)) {
                log.info("Call {} ended: no media for {} s", c.callId(), idle);
                bye(c, true);
                bye(c, false);
                media.end(c.callId(), "media timeout");
                publish(c, CallAttemptEnded.Disposition.ANSWERED, 200, "media timeout: no RTP for " + idle + " s");
            }
        }
    }

    /** A BYE of our own to one party of an answered call (RFC 3261 §15.1.1, sent as a B2BUA would). */
    private void bye(Call c, boolean toCallee) {
        try {
            FromHeader callerFrom = (FromHeader) c.request.getHeader(FromHeader.NAME);
            ToHeader calleeTo = (ToHeader) c.answer.getHeader(ToHeader.NAME);
            URI target;
            Hop hop;
            FromHeader from;
            ToHeader to;
            if (toCallee) {
                javax.sip.header.ContactHeader contact = (javax.sip.header.ContactHeader) c.answer.getHeader(javax.sip.header.ContactHeader.NAME);
                target = contact != null ? contact.getAddress().getURI() : c.answeredBranch.ct.getRequest().getRequestURI();
                hop = c.answeredBranch.hop;
                from = sip.headers.createFromHeader(callerFrom.getAddress(), callerFrom.getTag());
                to = sip.headers.createToHeader(calleeTo.getAddress(), calleeTo.getTag());
            } else {
                javax.sip.header.ContactHeader contact = (javax.sip.header.ContactHeader) c.request.getHeader(javax.sip.header.ContactHeader.NAME);
                target = contact != null ? contact.getAddress().getURI() : callerFrom.getAddress().getURI();
                hop = new gov.nist.javax.sip.stack.HopImpl(Sip.sourceIp(c.request), Sip.sourcePort(c.request), Sip.transport(c.request));
                from = sip.headers.createFromHeader(calleeTo.getAddress(), calleeTo.getTag());
                to = sip.headers.createToHeader(callerFrom.getAddress(), callerFrom.getTag());
            }
            long cseq = Math.max(toCallee ? c.callerCSeq : c.calleeCSeq,
                    toCallee ? ((CSeqHeader) c.request.getHeader(CSeqHeader.NAME)).getSeqNumber() : 0) + 1;
            String transport = hop != null ? hop.getTransport() : transportOf(target);
            Request bye = sip.messages.createRequest(target, Request.BYE, (CallIdHeader) c.request.getHeader(CallIdHeader.NAME),
                    sip.headers.createCSeqHeader(cseq, Request.BYE), from, to,
                    List.of(sip.headers.createViaHeader(sip.host, sip.port, transport, Utils.getInstance().generateBranchId())),
                    sip.headers.createMaxForwardsHeader(70));
            bye.addHeader(sip.reason("media timeout"));
            newClientTransaction(bye, hop).sendRequest();
        } catch (ParseException | InvalidArgumentException | SipException | RuntimeException e) {
            log.debug("Cannot send BYE for {}: {}", c.callId(), e.getMessage());
        }
    }

    /** Answered calls whose BYE never passed by (a phone vanished) are closed after a day. */
    void expireAnswered() {
        Instant horizon = Instant.now().minusSeconds(24 * 3600);
        answered.values().removeIf(c -> {
            if (c.answeredAt.isBefore(horizon)) {
                media.end(c.callId(), "no BYE within a day");
                publish(c, CallAttemptEnded.Disposition.ANSWERED, 200, "no BYE seen within a day");
                return true;
            }
            return false;
        });
    }

    // ---------------------------------------------------------------- helpers

    /** RFC 3261 §16.7 step 6 ranking: any 6xx, else the lowest class. */
    private static boolean better(int candidate, int current) {
        if (current >= 600) {
            return false;
        }
        if (candidate >= 600) {
            return true;
        }
        return candidate / 100 < current / 100;
    }

    /**
     * A request that already carries a Via of ours has been here: loop detection (RFC 3261 §16.3 step
     * 4). Spirals back through this proxy are refused with it; routes should not send calls back here.
     */
    private boolean passedHereBefore(Request request) {
        ListIterator<?> vias = request.getHeaders(ViaHeader.NAME);
        while (vias.hasNext()) {
            ViaHeader v = (ViaHeader) vias.next();
            int port = v.getPort() > 0 ? v.getPort() : 5060;
            if (port == sip.port && v.getHost().equalsIgnoreCase(sip.host)) {
                return true;
            }
        }
        return false;
    }

    private static String pendingKey(Request request) {
        ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
        return ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId() + "|" + (via == null ? "" : via.getBranch())
                + "|" + ((CSeqHeader) request.getHeader(CSeqHeader.NAME)).getSeqNumber();
    }

    private void decrementMaxForwards(Request r) throws InvalidArgumentException {
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

    /** Removes the Route entries naming this proxy at the top (one, or two when double record-routed). */
    private boolean removeOwnRoutes(Request request) {
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
            me.setTransportParam(transport.toLowerCase());
        }
        me.setLrParam();
        Address a = sip.addresses.createAddress(me);
        return sip.headers.createRecordRouteHeader(a);
    }

    /** One Allow header per method we handle (JAIN-SIP keeps Allow as a list of single values). */
    private List<Header> allow() {
        List<Header> out = new ArrayList<>();
        try {
            for (String m : ALLOW.split(", ")) {
                out.add(sip.headers.createAllowHeader(m));
            }
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private static boolean isKnown(String method) {
        return switch (method) {
            case "BYE", "INFO", "UPDATE", "REFER", "NOTIFY", "SUBSCRIBE", "PUBLISH", "PRACK" -> true;
            default -> false;
        };
    }

    private static String transportOf(URI uri) {
        if (uri instanceof SipURI s) {
            if (s.isSecure()) {
                return "tls";
            }
            String t = s.getTransportParam();
            if (t != null) {
                return t.toLowerCase();
            }
        }
        return "udp";
    }
}

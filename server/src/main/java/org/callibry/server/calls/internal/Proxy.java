package org.callibry.server.calls.internal;

import gov.nist.javax.sip.stack.SIPServerTransaction;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import javax.sip.ClientTransaction;
import javax.sip.InvalidArgumentException;
import javax.sip.ObjectInUseException;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.TransactionState;
import javax.sip.address.Hop;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.RouteHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.callibry.server.calls.CallOffered;
import org.callibry.server.calls.MediaServers;
import org.callibry.server.calls.ServiceNumbers;
import org.callibry.server.routing.Destination;
import org.callibry.server.routing.RouteTarget;
import org.callibry.server.relay.MediaRelay;
import org.callibry.server.routing.CallRouting;
import org.callibry.server.routing.RouteQuery;
import org.callibry.server.routing.RoutingDecision;
import org.callibry.server.sip.core.DigestAuthenticator;
import org.callibry.server.sip.core.Location;
import org.callibry.server.sip.core.NextHopRouter;
import org.callibry.server.sip.core.Peers;
import org.callibry.server.sip.core.Sip;
import org.callibry.server.sip.core.SipAccounts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;

/**
 * The transaction-stateful proxy (RFC 3261 §16) as the SIP listener sees it: each request passes the
 * {@link IngressPolicy}, an initial one is routed ({@link CallRouting}) and handed to its
 * {@link ProxyCall} state machine, whose {@link Forwarder} sends the branches; an in-dialog one is
 * loose-routed (§16.4, §16.12) past the {@link Dialogs} that track answered calls. Responses, timeouts
 * and CANCELs go to the call they belong to; a response matching no transaction (a retransmitted 2xx)
 * is forwarded statelessly by its Via.
 */
final class Proxy {
    private static final Logger log = LoggerFactory.getLogger(Proxy.class);

    private final Sip sip;
    private final SipAccounts accounts;
    private final Location location;
    private final CallRouting routing;
    private final CallProperties properties;
    private final MediaAnchor media;
    private final ApplicationEventPublisher events;
    private final IngressPolicy ingress;
    private final Dialogs dialogs;
    private final Forwarder forwarder;
    private final List<ServiceNumbers> serviceNumbers;
    /** INVITEs not answered finally yet, by Call-ID, top Via branch and CSeq (what a CANCEL carries). */
    private final Map<String, ProxyCall> pending = new ConcurrentHashMap<>();

    Proxy(Sip sip, SipAccounts accounts, Location location, DigestAuthenticator auth, CallRouting routing, Peers peers,
          CallProperties properties, ApplicationEventPublisher events, ScheduledExecutorService timers, MediaAnchor media,
          MediaServers mediaServers, List<ServiceNumbers> serviceNumbers) {
        this.sip = sip;
        this.serviceNumbers = serviceNumbers;
        this.accounts = accounts;
        this.location = location;
        this.routing = routing;
        this.properties = properties;
        this.media = media;
        this.events = events;
        this.ingress = new IngressPolicy(sip, accounts, peers, auth, mediaServers);
        this.dialogs = new Dialogs(sip, media, events, timers);
        this.forwarder = new Forwarder(sip, accounts, location, media, mediaServers, dialogs, events, timers,
                call -> pending.remove(pendingKey(call.request)), properties.silentBranchRetransmissions());
    }

    Dialogs dialogs() {
        return dialogs;
    }

    // ---------------------------------------------------------------- requests

    /** Any request but REGISTER, ACK and CANCEL. */
    void request(ServerTransaction st, Request request) {
        switch (ingress.admit(st, request)) {
            case IngressPolicy.Answered a -> {
            }
            case IngressPolicy.InDialog d -> inDialog(st, request);
            case IngressPolicy.Admitted a -> initial(st, request, a);
        }
    }

    private void initial(ServerTransaction st, Request request, IngressPolicy.Admitted admitted) {
        String source = Sip.sourceIp(request);
        RouteQuery query = new RouteQuery(admitted.from().getUser(), admitted.from().getHost(), source,
                admitted.requestUri().getUser(), admitted.requestUri().getHost(), Instant.now());
        RoutingDecision decision = recorded(serviceNumber(admitted).orElseGet(() -> routing.decide(query)));
        ProxyCall call = new ProxyCall(st, request, true, decision.targets(), source + ":" + Sip.sourcePort(request),
                admitted.from().getUser(), admitted.requestUri().getUser(), admitted.tenantId(), partOf(admitted, request),
                forwarder, properties::failsOver);
        if (!decision.routable()) {
            call.refuse(Response.FORBIDDEN, "No route");
            return;
        }
        Duration noAnswer = null;
        if (call.isInvite()) {
            events.publishEvent(new CallOffered(call.call, call.tenantId, call.aNumber, call.bNumber,
                    decision.targets().getFirst().routeName(), call.startedAt));
            sip.respond(st, request, Response.TRYING); // RFC 3261 §16.2: at once, so the caller stops retransmitting
            pending.put(pendingKey(request), call);
            noAnswer = properties.noAnswerTimeout();
        }
        st.setApplicationData(call);
        call.start(noAnswer);
    }

    /** A number of the caller's tenant that names a queue or IVR (dialled like an extension, before any route). */
    private Optional<RoutingDecision> serviceNumber(IngressPolicy.Admitted admitted) {
        Long tenant = admitted.tenantId();
        String number = admitted.requestUri().getUser();
        if (tenant == null || number == null || serviceNumbers.isEmpty()) {
            return Optional.empty();
        }
        for (ServiceNumbers numbers : serviceNumbers) {
            Optional<Destination.MediaService> service = numbers.lookup(tenant, number);
            if (service.isPresent()) {
                String a = admitted.from().getUser();
                return Optional.of(new RoutingDecision(List.of(new RouteTarget(0, service.get().kind().name().toLowerCase()
                        + " " + number, a, number, service.get(), false, false, null, false, null))));
            }
        }
        return Optional.empty();
    }

    /** Targets that are media services whose calls are recorded (a queue with {@code record}) get the record flag. */
    private RoutingDecision recorded(RoutingDecision decision) {
        if (serviceNumbers.isEmpty() || decision.targets().stream().noneMatch(t -> t.destination() instanceof Destination.MediaService)) {
            return decision;
        }
        List<RouteTarget> targets = decision.targets().stream().map(t -> !t.record() && t.destination() instanceof Destination.MediaService ms
                && serviceNumbers.stream().anyMatch(n -> n.recorded(ms))
                ? new RouteTarget(t.routeId(), t.routeName(), t.aNumber(), t.bNumber(), t.destination(), true, t.relayMedia(),
                        t.maxDuration(), t.continueOnFailure(), t.callerId()) : t).toList();
        return new RoutingDecision(targets);
    }

    /** The call an initial INVITE is a leg of: a media server's, a transferee's, or none (a call of its own). */
    private String partOf(IngressPolicy.Admitted admitted, Request request) {
        if (admitted.partOf() != null || !Request.INVITE.equals(request.getMethod())) {
            return admitted.partOf();
        }
        return dialogs.transferOf(admitted.from().getUser(), admitted.requestUri().getUser()).orElse(null);
    }

    /** In-dialog requests (To tag present): loose routing, RFC 3261 §16.4 and §16.12. */
    private void inDialog(ServerTransaction st, Request request) {
        try {
            Request fwd = (Request) request.clone();
            boolean routedByUs = forwarder.removeOwnRoutes(fwd);
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
            forwarder.decrementMaxForwards(fwd);
            String transport = hop != null ? hop.getTransport() : Forwarder.transportOf(fwd.getRequestURI());
            fwd.addFirst(forwarder.via(transport));
            ProxyCall call = new ProxyCall(st, request, false, List.of(), Sip.sourceIp(request), null, null, null, forwarder,
                    code -> false);
            call.relayed = media.get(call.callId());
            if (call.relayed != null && (Request.INVITE.equals(request.getMethod()) || Request.UPDATE.equals(request.getMethod()))) {
                try {
                    media.offer(call.relayed, fwd, Forwarder.tag(request, FromHeader.NAME)); // re-INVITE or UPDATE: hold, resume, codec change
                } catch (MediaRelay.MediaException e) {
                    sip.respond(st, request, Response.NOT_ACCEPTABLE_HERE, "Media relay: " + e.getMessage(), null);
                    return;
                }
            }
            st.setApplicationData(call);
            ProxyCall.Branch b = new ProxyCall.Branch(call, fwd.getRequestURI().toString(), hop);
            ClientTransaction ct = sip.newClientTransaction(fwd, hop);
            b.transaction = ct;
            ct.setApplicationData(b);
            call.forwarded(b);
            ct.sendRequest();
            dialogs.passing(request);
        } catch (ParseException | InvalidArgumentException | SipException | RuntimeException e) {
            log.debug("Cannot forward in-dialog {}: {}", request.getMethod(), e.getMessage());
            sip.respond(st, request, Response.SERVICE_UNAVAILABLE);
        }
    }

    /** ACK for a 2xx: forwarded statelessly along the route set (ACKs for failures end in the transaction layer). */
    void ack(Request request) {
        try {
            Request fwd = (Request) request.clone();
            forwarder.removeOwnRoutes(fwd);
            if (fwd.getHeader(RouteHeader.NAME) == null && fwd.getRequestURI() instanceof SipURI target && sip.isMe(target, accounts)) {
                return; // an ACK for us: nothing to forward
            }
            Hop hop = fwd.getHeader(RouteHeader.NAME) != null ? null : location.byContact(fwd.getRequestURI().toString())
                    .map(Location.Binding::hop).orElse(null);
            MediaAnchor.Relayed relayed = media.get(((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId());
            if (relayed != null && MediaAnchor.hasSdp(fwd)) {
                // the answer of a late offer (offer in the 2xx, RFC 3261 §13.2.1); the offerer is the 2xx's sender
                try {
                    media.answer(relayed, fwd, Forwarder.tag(request, ToHeader.NAME), Forwarder.tag(request, FromHeader.NAME));
                } catch (MediaRelay.MediaException e) {
                    log.warn("Relay refused the answer in the ACK of {}: {}", relayed.call().callId(), e.getMessage());
                }
            }
            forwarder.decrementMaxForwards(fwd);
            ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
            // a stateless proxy derives its branch from the incoming one (RFC 3261 §16.11)
            String branch = "z9hG4bK" + Integer.toHexString((via.getBranch() + "callibry").hashCode()) + "a";
            String transport = hop != null ? hop.getTransport() : Forwarder.transportOf(fwd.getRequestURI());
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
        ProxyCall call = pending.get(pendingKey(request));
        if (call == null && st instanceof SIPServerTransaction s && s.getCanceledInviteTransaction() != null) {
            call = s.getCanceledInviteTransaction().getApplicationData() instanceof ProxyCall c ? c : null;
        }
        if (call == null) {
            sip.respond(st, request, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
            return;
        }
        sip.respond(st, request, Response.OK);
        call.cancel();
    }

    // ---------------------------------------------------------------- responses

    void response(ClientTransaction ct, Response response) {
        if (ct == null) {
            stray(response);
            return;
        }
        if (ct.getApplicationData() instanceof ProxyCall.Branch b) {
            b.call.response(b, response);
            if (response.getStatusCode() >= 200 && !b.call.isInvite() && b.call.answeredUpstream()) {
                // a finished non-INVITE (a BYE, mostly): its transactions stay for RFC 3261 Timers J and K (32 s and
                // 5 s over UDP) to absorb retransmissions on their own; the call's state need not stay with them
                ct.setApplicationData(null);
                if (b.call.st instanceof ServerTransaction st) {
                    st.setApplicationData(null);
                }
            }
        } // else a response to our CANCEL or BYE
    }

    /** Timer B or F, or an INVITE branch silent past {@code silent-branch-timeout}: the branch failed with 408. */
    void timeout(ClientTransaction ct) {
        if (ct != null && ct.getApplicationData() instanceof ProxyCall.Branch b) {
            if (ct.getState() == TransactionState.CALLING) {
                try {
                    ct.terminate(); // given up before timer B: no more retransmissions to a silent callee
                } catch (ObjectInUseException e) {
                    log.debug("Cannot end the silent branch to {}: {}", b.uri, e.getMessage());
                }
            }
            b.call.branchTimedOut(b);
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
        Dialogs.Dialog d = dialogs.get(((CallIdHeader) response.getHeader(CallIdHeader.NAME)).getCallId());
        CSeqHeader cseq = (CSeqHeader) response.getHeader(CSeqHeader.NAME);
        if (d != null && d.call.relayed != null && Request.INVITE.equals(cseq.getMethod())
                && cseq.getSeqNumber() == ((CSeqHeader) d.call.request.getHeader(CSeqHeader.NAME)).getSeqNumber()
                && Objects.equals(Forwarder.tag(d.answer, ToHeader.NAME), Forwarder.tag(response, ToHeader.NAME))) {
            forwarder.rewriteAnswer(d.call, fwd); // a retransmission of the answered 2xx: the same rewrite again
        }
        if (fwd.getHeader(ViaHeader.NAME) != null) {
            try {
                sip.provider.sendResponse(fwd);
            } catch (SipException | RuntimeException e) {
                log.debug("Cannot forward stray response: {}", e.getMessage());
            }
        }
    }

    private static String pendingKey(Request request) {
        ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
        return ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId() + "|" + (via == null ? "" : via.getBranch())
                + "|" + ((CSeqHeader) request.getHeader(CSeqHeader.NAME)).getSeqNumber();
    }
}

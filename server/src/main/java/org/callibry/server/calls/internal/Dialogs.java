package org.callibry.server.calls.internal;

import gov.nist.javax.sip.Utils;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.sip.InvalidArgumentException;
import javax.sip.SipException;
import javax.sip.address.Hop;
import javax.sip.address.URI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.ReferToHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.callibry.server.calls.CallEnded;
import org.callibry.server.calls.CallTransferred;
import org.callibry.server.routing.RouteTarget;
import org.callibry.server.sip.core.Sip;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;

/**
 * The answered calls the proxy is in (record-routed dialogs, RFC 3261 §12), by Call-ID: the highest
 * CSeq each party used, the BYE that ends the call, and the proxy's own BYEs to both parties (§15.1.1,
 * as a B2BUA would send them) when the route's maximum duration is reached, when the relay reports the
 * media silent, or when no BYE came within a day. Each answered call ends in exactly one
 * {@link CallEnded}.
 */
final class Dialogs {
    private static final Logger log = LoggerFactory.getLogger(Dialogs.class);

    /** One answered call: the INVITE, the 2xx that established it and the branch it came on. */
    static final class Dialog {
        final ProxyCall call;
        final Response answer;
        final ProxyCall.Branch branch;
        /** Highest CSeq each party has used in the dialog (our own BYEs must go above it, RFC 3261 §12.2.1.1). */
        volatile long callerCSeq;
        volatile long calleeCSeq;
        volatile ScheduledFuture<?> limit;

        Dialog(ProxyCall call, Response answer, ProxyCall.Branch branch) {
            this.call = call;
            this.answer = answer;
            this.branch = branch;
        }
    }

    private final Sip sip;
    private final MediaAnchor media;
    private final ApplicationEventPublisher events;
    private final ScheduledExecutorService timers;
    private final Map<String, Dialog> answered = new ConcurrentHashMap<>();
    /** A transferee's new call continues the transferred one: long enough for the phone to dial (Timer B). */
    private final TransferLinks transfers = new TransferLinks(Duration.ofSeconds(32));

    Dialogs(Sip sip, MediaAnchor media, ApplicationEventPublisher events, ScheduledExecutorService timers) {
        this.sip = sip;
        this.media = media;
        this.events = events;
        this.timers = timers;
    }

    /** The first 2xx of an initial INVITE went upstream; the route's maximum duration starts now. */
    void answered(ProxyCall call, ProxyCall.Branch branch, Response answer) {
        Dialog d = new Dialog(call, answer, branch);
        answered.put(call.callId(), d);
        RouteTarget t = call.target();
        Duration max = t == null ? null : t.maxDuration();
        if (max != null && !max.isZero() && !max.isNegative()) {
            d.limit = timers.schedule(() -> end(d, "maximum duration of " + max.toSeconds() + " s reached"),
                    max.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    Dialog get(String callId) {
        return answered.get(callId);
    }

    /**
     * An in-dialog request passing through: its CSeq is remembered, and a BYE of the answered dialog ends
     * the call. With parallel forking the caller also BYEs a second 2xx's dialog (RFC 3261 §13.2.2.4),
     * which leaves the call alone.
     */
    void passing(Request request) {
        String callId = ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId();
        Dialog d = answered.get(callId);
        if (d != null) {
            long cseq = ((CSeqHeader) request.getHeader(CSeqHeader.NAME)).getSeqNumber();
            if (isFromCaller(d, request)) {
                d.callerCSeq = Math.max(d.callerCSeq, cseq);
            } else {
                d.calleeCSeq = Math.max(d.calleeCSeq, cseq);
            }
        }
        if (!Request.BYE.equals(request.getMethod())) {
            return;
        }
        if (d != null && isOfAnsweredDialog(d, request) && answered.remove(callId, d)) {
            stopLimit(d);
            events.publishEvent(d.call.ended(CallEnded.Disposition.ANSWERED, 200,
                    "BYE from " + (isFromCaller(d, request) ? "caller" : "callee")));
            media.end(callId, "BYE");
        } else if (d == null) {
            media.end(callId, "BYE");
        }
    }

    /** The relay saw no media for {@code idleSeconds} (a phone crashed or lost its network): an answered relayed call is ended with a BYE to both parties. */
    void mediaStopped(String callId, long idleSeconds) {
        Dialog d = answered.get(callId);
        if (d != null && d.call.relayed != null) {
            log.info("Call {} ended: no media for {} s", callId, idleSeconds);
            end(d, "media timeout: no RTP for " + idleSeconds + " s");
        }
    }

    /** A REFER in an answered call was accepted: the call is being transferred ({@link CallTransferred}). */
    void transferAccepted(Request refer) {
        Dialog d = answered.get(((CallIdHeader) refer.getHeader(CallIdHeader.NAME)).getCallId());
        javax.sip.header.Header referTo = refer.getHeader(ReferToHeader.NAME);
        if (d == null || !isOfAnsweredDialog(d, refer) || !(referTo instanceof ReferToHeader r)) {
            return;
        }
        ProxyCall c = d.call;
        Instant now = Instant.now();
        boolean byCaller = isFromCaller(d, refer);
        RouteTarget t = c.target();
        String callee = t != null ? t.bNumber() : c.bNumber;
        if (r.getAddress().getURI() instanceof javax.sip.address.SipURI target) {
            transfers.referred(byCaller ? callee : c.aNumber, target.getUser(), c.call, now);
        }
        events.publishEvent(new CallTransferred(c.call, c.tenantId, c.aNumber, c.bNumber, byCaller ? "caller" : "callee",
                r.getAddress().getURI().toString(), now));
    }

    /** The call a new INVITE from {@code from} to {@code to} continues when it is a transferee's (claimed once). */
    java.util.Optional<String> transferOf(String from, String to) {
        return transfers.claim(from, to, Instant.now());
    }

    /** Answered calls whose BYE never passed by (a phone vanished) are closed after a day. */
    void expire() {
        Instant horizon = Instant.now().minusSeconds(24 * 3600);
        answered.values().removeIf(d -> {
            if (d.call.answeredAt().isBefore(horizon)) {
                stopLimit(d);
                media.end(d.call.callId(), "no BYE within a day");
                events.publishEvent(d.call.ended(CallEnded.Disposition.ANSWERED, 200, "no BYE seen within a day"));
                return true;
            }
            return false;
        });
    }

    /** Ends an answered call from here: BYE to both parties, the relay closed, the record says why. */
    private void end(Dialog d, String why) {
        if (!answered.remove(d.call.callId(), d)) {
            return; // ended meanwhile by a BYE
        }
        stopLimit(d);
        bye(d, true, why);
        bye(d, false, why);
        media.end(d.call.callId(), why);
        events.publishEvent(d.call.ended(CallEnded.Disposition.ANSWERED, 200, why));
    }

    private static void stopLimit(Dialog d) {
        ScheduledFuture<?> f = d.limit;
        if (f != null) {
            f.cancel(false);
        }
    }

    /** A BYE of our own to one party of an answered call (RFC 3261 §15.1.1, sent as a B2BUA would). */
    private void bye(Dialog d, boolean toCallee, String why) {
        Request invite = d.call.request;
        try {
            FromHeader callerFrom = (FromHeader) invite.getHeader(FromHeader.NAME);
            ToHeader calleeTo = (ToHeader) d.answer.getHeader(ToHeader.NAME);
            URI target;
            Hop hop;
            FromHeader from;
            ToHeader to;
            if (toCallee) {
                ContactHeader contact = (ContactHeader) d.answer.getHeader(ContactHeader.NAME);
                // the branch's transaction has long ended and let go of its request: the branch keeps the URI
                target = contact != null ? contact.getAddress().getURI() : sip.addresses.createURI(d.branch.uri);
                hop = d.branch.hop;
                from = sip.headers.createFromHeader(callerFrom.getAddress(), callerFrom.getTag());
                to = sip.headers.createToHeader(calleeTo.getAddress(), calleeTo.getTag());
            } else {
                ContactHeader contact = (ContactHeader) invite.getHeader(ContactHeader.NAME);
                target = contact != null ? contact.getAddress().getURI() : callerFrom.getAddress().getURI();
                hop = new gov.nist.javax.sip.stack.HopImpl(Sip.sourceIp(invite), Sip.sourcePort(invite), Sip.transport(invite));
                from = sip.headers.createFromHeader(calleeTo.getAddress(), calleeTo.getTag());
                to = sip.headers.createToHeader(callerFrom.getAddress(), callerFrom.getTag());
            }
            long cseq = Math.max(toCallee ? d.callerCSeq : d.calleeCSeq,
                    toCallee ? ((CSeqHeader) invite.getHeader(CSeqHeader.NAME)).getSeqNumber() : 0) + 1;
            String transport = hop != null ? hop.getTransport() : Forwarder.transportOf(target);
            Request bye = sip.messages.createRequest(target, Request.BYE, (CallIdHeader) invite.getHeader(CallIdHeader.NAME),
                    sip.headers.createCSeqHeader(cseq, Request.BYE), from, to,
                    List.of(sip.headers.createViaHeader(sip.host, sip.port, transport, Utils.getInstance().generateBranchId())),
                    sip.headers.createMaxForwardsHeader(70));
            bye.addHeader(sip.reason(why));
            sip.newClientTransaction(bye, hop).sendRequest();
        } catch (ParseException | InvalidArgumentException | SipException | RuntimeException e) {
            log.debug("Cannot send BYE for {}: {}", d.call.callId(), e.getMessage());
        }
    }

    private static boolean isOfAnsweredDialog(Dialog d, Request r) {
        String callerTag = Forwarder.tag(d.call.request, FromHeader.NAME);
        String calleeTag = Forwarder.tag(d.answer, ToHeader.NAME);
        String from = Forwarder.tag(r, FromHeader.NAME);
        String to = Forwarder.tag(r, ToHeader.NAME);
        return Objects.equals(from, callerTag) && Objects.equals(to, calleeTag)
                || Objects.equals(from, calleeTag) && Objects.equals(to, callerTag);
    }

    private static boolean isFromCaller(Dialog d, Request r) {
        String callerTag = ((FromHeader) d.call.request.getHeader(FromHeader.NAME)).getTag();
        return callerTag != null && callerTag.equals(((FromHeader) r.getHeader(FromHeader.NAME)).getTag());
    }
}

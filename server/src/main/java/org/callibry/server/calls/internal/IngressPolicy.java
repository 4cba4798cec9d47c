package org.callibry.server.calls.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.Optional;
import javax.sip.ServerTransaction;
import javax.sip.address.SipURI;
import javax.sip.header.ExtensionHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.Header;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.ProxyAuthorizationHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.callibry.server.calls.MediaServers;
import org.callibry.server.directory.SipDirectory;
import org.callibry.server.sip.core.DigestAuthenticator;
import org.callibry.server.sip.core.Peers;
import org.callibry.server.sip.core.Sip;
import org.callibry.server.sip.core.SipAccounts;

/**
 * The first step of every request the proxy gets (not REGISTER, ACK or CANCEL): the checks of RFC 3261
 * §16.3 (Max-Forwards, loops, the URI scheme), OPTIONS to the server itself, which methods start a
 * call, and who may send it: a media server of ours (trusted, on behalf of the tenant it names in
 * {@link MediaServers#TENANT_HEADER}), a trusted peer (its tenant), or a caller of a domain served
 * here who passes digest authentication (407, RFC 3261 §22.3). Answers every request it refuses; the
 * proxy goes on only with an {@link Admitted} one.
 */
final class IngressPolicy {
    static final String ALLOW = "INVITE, ACK, CANCEL, BYE, OPTIONS, MESSAGE, REGISTER, INFO, UPDATE, REFER, NOTIFY, PRACK";

    /** What the proxy goes on with. */
    sealed interface Verdict {
    }

    /** A request in a dialog (To tag present): loose-routed as it is. */
    record InDialog() implements Verdict {
    }

    /**
     * An initial request allowed in, on behalf of {@code tenantId} (null for a peer without one), as a leg
     * of call {@code partOf} (a media server's leg of a call it serves), or of a call of its own (null).
     */
    record Admitted(SipURI from, SipURI requestUri, Long tenantId, String partOf) implements Verdict {
    }

    /** Answered here (refused, or OPTIONS to the server); nothing more to do. */
    record Answered() implements Verdict {
    }

    private static final Answered ANSWERED = new Answered();

    private final Sip sip;
    private final SipAccounts accounts;
    private final Peers peers;
    private final DigestAuthenticator auth;
    private final MediaServers mediaServers;

    IngressPolicy(Sip sip, SipAccounts accounts, Peers peers, DigestAuthenticator auth, MediaServers mediaServers) {
        this.sip = sip;
        this.accounts = accounts;
        this.peers = peers;
        this.auth = auth;
        this.mediaServers = mediaServers;
    }

    Verdict admit(ServerTransaction st, Request request) {
        MaxForwardsHeader mf = (MaxForwardsHeader) request.getHeader(MaxForwardsHeader.NAME);
        boolean toMe = request.getRequestURI() instanceof SipURI u && sip.isMe(u, accounts) && u.getUser() == null;
        if (Request.OPTIONS.equals(request.getMethod()) && toMe) {
            sip.respond(st, request, Response.OK, null, allow()); // RFC 3261 §11.2
            return ANSWERED;
        }
        if (mf != null && mf.getMaxForwards() <= 0) {
            sip.respond(st, request, Response.TOO_MANY_HOPS); // RFC 3261 §16.3 step 3
            return ANSWERED;
        }
        if (passedHereBefore(request)) {
            sip.respond(st, request, Response.LOOP_DETECTED); // RFC 3261 §16.3 step 4
            return ANSWERED;
        }
        if (((ToHeader) request.getHeader(ToHeader.NAME)).getTag() != null) {
            return new InDialog();
        }
        String method = request.getMethod();
        if (!(Request.INVITE.equals(method) || Request.MESSAGE.equals(method) || Request.OPTIONS.equals(method))) {
            if (isKnown(method)) {
                sip.respond(st, request, Response.METHOD_NOT_ALLOWED, null, allow());
            } else {
                sip.respond(st, request, Response.NOT_IMPLEMENTED);
            }
            return ANSWERED;
        }
        if (!(request.getRequestURI() instanceof SipURI ruri)) {
            sip.respond(st, request, Response.UNSUPPORTED_URI_SCHEME); // RFC 3261 §16.3 step 1
            return ANSWERED;
        }
        FromHeader from = (FromHeader) request.getHeader(FromHeader.NAME);
        if (!(from.getAddress().getURI() instanceof SipURI fromUri)) {
            sip.respond(st, request, Response.FORBIDDEN, "Caller URI not SIP", null);
            return ANSWERED;
        }
        String source = Sip.sourceIp(request);
        Optional<Peers.Peer> peer = peers.match(source);
        Long tenantId;
        String partOf = null;
        if (mediaServers != null && mediaServers.isMediaServer(source, Sip.sourcePort(request))) {
            // a call the media server originates (dialer, transfers): trusted, on behalf of the tenant it names
            Header t = request.getHeader(MediaServers.TENANT_HEADER);
            try {
                tenantId = t instanceof ExtensionHeader e ? Long.valueOf(e.getValue().trim()) : null;
            } catch (NumberFormatException e) {
                sip.respond(st, request, Response.BAD_REQUEST, "Bad " + MediaServers.TENANT_HEADER, null);
                return ANSWERED;
            }
            if (request.getHeader(MediaServers.CALL_HEADER) instanceof ExtensionHeader c) {
                partOf = c.getValue().strip();
                if (partOf.isEmpty() || partOf.length() > 256 || partOf.chars().anyMatch(ch -> ch <= ' ')) {
                    sip.respond(st, request, Response.BAD_REQUEST, "Bad " + MediaServers.CALL_HEADER, null);
                    return ANSWERED;
                }
            }
        } else if (peer.isPresent()) {
            tenantId = peer.get().tenantId();
        } else {
            Optional<SipDirectory.Domain> domain = accounts.domain(fromUri.getHost());
            if (domain.isEmpty()) {
                // not our user and not a known peer: no relaying for strangers
                sip.respond(st, request, Response.FORBIDDEN, "Caller domain not served here", null);
                return ANSWERED;
            }
            Optional<SipDirectory.Credentials> caller = auth.authenticate(st, request, domain.get(), fromUri.getUser(),
                    ProxyAuthorizationHeader.NAME);
            if (caller.isEmpty()) {
                return ANSWERED; // challenged or refused by the authenticator
            }
            tenantId = caller.get().tenantId();
        }
        return new Admitted(fromUri, ruri, tenantId, partOf);
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

    /** One Allow header per method we handle (JAIN-SIP keeps Allow as a list of single values). */
    private List<Header> allow() {
        List<Header> out = new ArrayList<>();
        try {
            for (String m : ALLOW.split(", ")) {
                out.add(sip.headers.createAllowHeader(m));
            }
        } catch (java.text.ParseException e) {
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
}

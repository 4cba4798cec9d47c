package org.callibry.server.sip.internal;

import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.Optional;
import javax.sip.InvalidArgumentException;
import javax.sip.ServerTransaction;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.Header;
import javax.sip.header.ToHeader;
import javax.sip.header.UserAgentHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.callibry.server.directory.SipDirectory;
import org.callibry.server.sip.core.DigestAuthenticator;
import org.callibry.server.sip.core.Location;
import org.callibry.server.sip.core.Sip;
import org.callibry.server.sip.core.SipAccounts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registrar (RFC 3261 §10.3): authenticates REGISTER with digest, then adds, refreshes and removes
 * the account's contacts in the {@link Location} service, with the address the request came from
 * kept for NAT traversal (RFC 3581).
 */
final class Registrar {
    private static final Logger log = LoggerFactory.getLogger(Registrar.class);

    private final Sip sip;
    private final SipAccounts accounts;
    private final Location location;
    private final DigestAuthenticator auth;
    private final SipProperties properties;

    Registrar(Sip sip, SipAccounts accounts, Location location, DigestAuthenticator auth, SipProperties properties) {
        this.sip = sip;
        this.accounts = accounts;
        this.location = location;
        this.auth = auth;
        this.properties = properties;
    }

    void register(ServerTransaction st, Request request) {
        URI ruri = request.getRequestURI();
        ToHeader to = (ToHeader) request.getHeader(ToHeader.NAME);
        if (!(ruri instanceof SipURI target) || !(to.getAddress().getURI() instanceof SipURI aor)) {
            sip.respond(st, request, Response.UNSUPPORTED_URI_SCHEME);
            return;
        }
        Optional<SipDirectory.Domain> domain = accounts.domain(target.getHost());
        if (domain.isEmpty()) {
            sip.respond(st, request, Response.FORBIDDEN, "Domain not served here", null);
            return;
        }
        // the address-of-record's domain must be the one being registered with (RFC 3261 §10.3 step 3)
        Optional<SipDirectory.Domain> aorDomain = accounts.domain(aor.getHost());
        if (aorDomain.isEmpty() || aorDomain.get().id() != domain.get().id()) {
            sip.respond(st, request, Response.FORBIDDEN, "Address of record not in this domain", null);
            return;
        }
        Optional<SipDirectory.Credentials> account = auth.authenticate(st, request, domain.get(), aor.getUser(),
                AuthorizationHeader.NAME);
        if (account.isEmpty()) {
            return; // challenged or refused
        }
        SipDirectory.Credentials a = account.get();
        try {
            List<Location.Binding> now = bind(request, a);
            Response ok = sip.messages.createResponse(Response.OK, request);
            Instant t = Instant.now();
            for (Location.Binding b : now) {
                ContactHeader c = sip.headers.createContactHeader(sip.addresses.createAddress(b.contact()));
                c.setExpires((int) Math.max(0, b.expires().getEpochSecond() - t.getEpochSecond()));
                ok.addHeader(c);
            }
            ok.addHeader(sip.headers.createDateHeader(java.util.Calendar.getInstance(java.util.TimeZone.getTimeZone("GMT"))));
            sip.send(st, ok);
        } catch (RegistrationRefused e) {
            sip.respond(st, request, e.code, e.getMessage(), e.extra);
        } catch (ParseException | InvalidArgumentException e) {
            sip.respond(st, request, Response.BAD_REQUEST, "Bad Contact: " + e.getMessage(), null);
        }
    }

    private static final class RegistrationRefused extends RuntimeException {
        final int code;
        final transient List<Header> extra;

        RegistrationRefused(int code, String reason, List<Header> extra) {
            super(reason, null, false, false);
            this.code = code;
            this.extra = extra;
        }
    }

    /** RFC 3261 §10.3 steps 6-8 for the Contact headers of one REGISTER. */
    private List<Location.Binding> bind(Request request, SipDirectory.Credentials a) throws ParseException, InvalidArgumentException {
        String callId = ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId();
        long cseq = ((CSeqHeader) request.getHeader(CSeqHeader.NAME)).getSeqNumber();
        ExpiresHeader expiresHeader = request.getExpires();
        UserAgentHeader ua = (UserAgentHeader) request.getHeader(UserAgentHeader.NAME);
        String userAgent = ua == null ? "" : String.join(" ", toStrings(ua.getProduct()));
        List<ContactHeader> contacts = new ArrayList<>();
        ListIterator<?> it = request.getHeaders(ContactHeader.NAME);
        boolean wildcard = false;
        while (it.hasNext()) {
            ContactHeader c = (ContactHeader) it.next();
            if (c.isWildCard() || "*".equals(c.getAddress().toString().trim())) {
                wildcard = true;
            } else {
                contacts.add(c);
            }
        }
        if (wildcard) {
            // "*" removes every binding, only with Expires: 0 and alone (RFC 3261 §10.2.2)
            if (!contacts.isEmpty() || expiresHeader == null || expiresHeader.getExpires() != 0) {
                throw new RegistrationRefused(Response.BAD_REQUEST, "Contact * needs Expires: 0 and no other contact", null);
            }
            return location.update(a.accountId(), a.tenantId(), current -> {
                for (Location.Binding b : current) {
                    if (b.callId().equals(callId) && cseq <= b.cseq()) {
                        throw new RegistrationRefused(Response.SERVER_INTERNAL_ERROR, "Out of order CSeq", null);
                    }
                }
                return List.of();
            });
        }
        if (contacts.isEmpty()) {
            return location.bindings(a.accountId()); // a query
        }
        Instant now = Instant.now();
        String transport = Sip.transport(request);
        String sourceIp = Sip.sourceIp(request);
        int sourcePort = Sip.sourcePort(request);
        List<Location.Binding> wanted = new ArrayList<>();
        for (ContactHeader c : contacts) {
            int expires = c.getExpires() >= 0 ? c.getExpires()
                    : expiresHeader != null ? expiresHeader.getExpires() : (int) properties.defaultExpires().toSeconds();
            if (expires > 0 && expires < properties.minExpires().toSeconds()) {
                throw new RegistrationRefused(Response.INTERVAL_TOO_BRIEF, null,
                        List.of(sip.headers.createMinExpiresHeader((int) properties.minExpires().toSeconds())));
            }
            expires = (int) Math.min(expires, properties.maxExpires().toSeconds());
            float q = c.getQValue() < 0 ? 1f : c.getQValue();
            wanted.add(new Location.Binding(a.accountId(), a.tenantId(), c.getAddress().getURI().toString(),
                    now.plusSeconds(expires), q, callId, cseq, transport, sourceIp, sourcePort, userAgent));
        }
        return location.update(a.accountId(), a.tenantId(), current -> {
            List<Location.Binding> next = new ArrayList<>(current);
            for (Location.Binding w : wanted) {
                Location.Binding old = next.stream().filter(b -> b.contact().equals(w.contact())).findFirst().orElse(null);
                if (old != null) {
                    if (old.callId().equals(w.callId()) && w.cseq() <= old.cseq()) {
                        throw new RegistrationRefused(Response.SERVER_INTERNAL_ERROR, "Out of order CSeq", null);
                    }
                    next.remove(old);
                }
                if (w.expires().isAfter(now)) {
                    next.add(w);
                }
            }
            if (next.size() > properties.maxContacts()) {
                throw new RegistrationRefused(Response.FORBIDDEN, "Too many contacts (at most " + properties.maxContacts() + ")", null);
            }
            return next;
        });
    }

    private static List<String> toStrings(ListIterator<?> it) {
        List<String> out = new ArrayList<>();
        while (it != null && it.hasNext()) {
            out.add(String.valueOf(it.next()));
        }
        return out;
    }

}

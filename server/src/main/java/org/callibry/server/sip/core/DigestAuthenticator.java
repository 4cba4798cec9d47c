package org.callibry.server.sip.core;

import java.time.Duration;
import java.util.ListIterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sip.ServerTransaction;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.ProxyAuthorizationHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.callibry.server.directory.SipDirectory;

/**
 * Digest authentication of requests from local users: challenges (401 for REGISTER, 407 for requests
 * through the proxy), checks answers with {@link DigestAuth}, and refuses with 403 without saying
 * whether the user or the password was wrong. A source address with too many failed answers in the
 * window is refused outright until the window passes (brute-force throttle).
 */
public final class DigestAuthenticator {
    private final Sip sip;
    private final SipAccounts accounts;
    private final DigestAuth digest;
    private final int maxFailures;
    private final long windowMillis;
    private final Map<String, Window> failures = new ConcurrentHashMap<>();

    private static final class Window {
        public volatile long start;
        public final AtomicInteger count = new AtomicInteger();
    }

    public DigestAuthenticator(Sip sip, SipAccounts accounts, DigestAuth digest, int maxFailures, Duration window) {
        this.sip = sip;
        this.accounts = accounts;
        this.digest = digest;
        this.maxFailures = maxFailures;
        this.windowMillis = window.toMillis();
    }

    /**
     * The account that {@code user} in {@code domain} proved to be, or empty after this method has
     * answered the request (challenge or refusal).
     */
    public Optional<SipDirectory.Credentials> authenticate(ServerTransaction st, Request request, SipDirectory.Domain domain,
                                                    String user, String headerName) {
        boolean proxy = headerName.equals(ProxyAuthorizationHeader.NAME);
        String source = Sip.sourceIp(request);
        if (throttled(source)) {
            sip.respond(st, request, Response.FORBIDDEN, "Too many failed authentications", null);
            return Optional.empty();
        }
        AuthorizationHeader answer = null;
        ListIterator<?> it = request.getHeaders(headerName);
        while (it.hasNext()) {
            AuthorizationHeader h = (AuthorizationHeader) it.next();
            if (domain.name().equalsIgnoreCase(h.getRealm())) {
                answer = h;
                break;
            }
        }
        if (answer == null) {
            challenge(st, request, domain, false, proxy);
            return Optional.empty();
        }
        String username = answer.getUsername();
        Optional<SipDirectory.Credentials> account = accounts.account(domain, user)
                .filter(SipDirectory.Credentials::enabled)
                .filter(a -> a.number().equals(username));
        if (account.isEmpty()) {
            failed(source);
            sip.respond(st, request, Response.FORBIDDEN);
            return Optional.empty();
        }
        switch (digest.verify(answer, request.getMethod(), account.get())) {
            case OK -> {
                return account;
            }
            case STALE -> challenge(st, request, domain, true, proxy);
            case BAD_NONCE, REPLAY, NOT_SUPPORTED -> challenge(st, request, domain, false, proxy);
            case WRONG -> {
                failed(source);
                sip.respond(st, request, Response.FORBIDDEN);
            }
        }
        return Optional.empty();
    }

    private void challenge(ServerTransaction st, Request request, SipDirectory.Domain domain, boolean stale, boolean proxy) {
        sip.respond(st, request, proxy ? Response.PROXY_AUTHENTICATION_REQUIRED : Response.UNAUTHORIZED, null,
                digest.challenge(domain.name(), stale, proxy));
    }

    private boolean throttled(String source) {
        Window w = failures.get(source);
        return w != null && System.currentTimeMillis() - w.start < windowMillis && w.count.get() >= maxFailures;
    }

    private void failed(String source) {
        long now = System.currentTimeMillis();
        Window w = failures.computeIfAbsent(source, k -> new Window());
        synchronized (w) {
            if (now - w.start >= windowMillis) {
                w.start = now;
                w.count.set(0);
            }
            w.count.incrementAndGet();
        }
    }

    /** Forgets windows that have passed. */
    public void purge() {
        long now = System.currentTimeMillis();
        failures.values().removeIf(w -> now - w.start >= windowMillis);
    }
}

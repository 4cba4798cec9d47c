package org.callibry.server.api.internal;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.callibry.server.api.ApiAuthentication;
import org.callibry.server.api.Caller;
import org.callibry.server.api.CredentialsChanged;
import org.callibry.server.api.RpcException;
import org.callibry.server.api.UserCredentials;
import org.callibry.shared.api.Role;
import org.callibry.shared.sip.DigestHashes;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Turns credentials into a {@link Caller}: passwords through {@code auth.login} or HTTP Basic (both
 * throttled on failure), bearer tokens through the {@link TokenStore}. Users are looked up again every
 * few seconds, so a disabled user or a changed role takes effect at once for new logins and within
 * {@link #RECHECK} for open sessions (immediately when {@link CredentialsChanged} is published).
 */
@Component
class Authenticator implements ApiAuthentication {
    static final Duration RECHECK = Duration.ofSeconds(10);
    private static final String ACTING_AS = Authenticator.class.getName() + ".actingAs";

    private record Known(Caller caller, Instant checkedAt) {
    }

    private final TokenStore tokens;
    private final UserCredentials users;
    private final LoginThrottle throttle;
    private final Map<Long, Known> byUserId = new ConcurrentHashMap<>();
    /** SHA-256 of "user:password" of recently verified Basic credentials, so BCrypt does not run on every request. */
    private final Map<String, Known> basic = new ConcurrentHashMap<>();

    Authenticator(TokenStore tokens, UserCredentials users, LoginThrottle throttle) {
        this.tokens = tokens;
        this.users = users;
        this.throttle = throttle;
    }

    record Session(Caller caller, TokenStore.Token token) {
    }

    /** {@code auth.login}: checks the password (throttled) and issues a token. */
    Session login(String user, String password, String address) {
        Caller caller = verifyPassword(user, password, address);
        return new Session(caller, tokens.issue(caller.userId()));
    }

    void logout(String token) {
        if (token != null) {
            tokens.revoke(token);
        }
    }

    /**
     * The caller an {@code Authorization} header names, or null when there is none.
     *
     * @throws RpcException unauthenticated when the header is malformed or its credentials are not valid
     */
    Caller fromHeader(String authorization, String address) {
        if (authorization == null || authorization.isBlank()) {
            return null;
        }
        int space = authorization.indexOf(' ');
        String scheme = space < 0 ? authorization : authorization.substring(0, space);
        String value = space < 0 ? "" : authorization.substring(space + 1).trim();
        if (scheme.equalsIgnoreCase("Bearer")) {
            return fromToken(value);
        }
        if (scheme.equalsIgnoreCase("Basic")) {
            return fromBasic(value, address);
        }
        throw RpcException.unauthenticated("unsupported Authorization scheme " + scheme);
    }

    Caller fromToken(String token) {
        Long userId = tokens.userOf(token).orElseThrow(() -> RpcException.unauthenticated("invalid or expired token"));
        return current(userId).orElseThrow(() -> RpcException.unauthenticated("user disabled or deleted"));
    }

    private Caller fromBasic(String value, String address) {
        String pair;
        try {
            pair = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw RpcException.unauthenticated("malformed Basic credentials");
        }
        int colon = pair.indexOf(':');
        if (colon < 0) {
            throw RpcException.unauthenticated("malformed Basic credentials");
        }
        String key = DigestHashes.hex("SHA-256", pair);
        Known known = basic.get(key);
        if (known != null && known.checkedAt().plus(RECHECK).isAfter(Instant.now())) {
            return known.caller();
        }
        Caller caller = verifyPassword(pair.substring(0, colon), pair.substring(colon + 1), address);
        basic.put(key, new Known(caller, Instant.now()));
        return caller;
    }

    @Override
    public Caller verifyPassword(String user, String password, String address) {
        throttle.check(user, address);
        Optional<Caller> caller = users.verify(user, password);
        if (caller.isEmpty()) {
            throttle.failed(user, address);
            throw RpcException.unauthenticated("wrong user name or password");
        }
        throttle.succeeded(user);
        return caller.get();
    }

    @Override
    public Optional<Caller> current(long userId) {
        Known known = byUserId.get(userId);
        if (known != null && known.checkedAt().plus(RECHECK).isAfter(Instant.now())) {
            return Optional.of(known.caller());
        }
        Optional<Caller> caller = users.findEnabled(userId);
        caller.ifPresentOrElse(c -> byUserId.put(userId, new Known(c, Instant.now())), () -> byUserId.remove(userId));
        return caller;
    }

    @EventListener
    void on(CredentialsChanged event) {
        byUserId.remove(event.userId());
        basic.values().removeIf(k -> k.caller().userId() == event.userId());
        if (event.revokeTokens()) {
            tokens.revokeAll(event.userId());
        }
    }

    @Override
    public void actAs(HttpServletRequest request, Caller caller) {
        request.setAttribute(ACTING_AS, caller);
    }

    @Override
    public Caller authenticate(HttpServletRequest request) {
        if (request.getAttribute(ACTING_AS) instanceof Caller acting) {
            return acting;
        }
        Caller caller = fromHeader(request.getHeader("Authorization"), request.getRemoteAddr());
        if (caller == null) {
            throw RpcException.unauthenticated("no credentials: log in with auth.login and send Authorization: Bearer <token>");
        }
        return caller;
    }

    @Override
    public Caller require(HttpServletRequest request, Role... roles) {
        Caller caller = authenticate(request);
        checkRole(caller, roles, "this operation");
        return caller;
    }

    static void checkRole(Caller caller, Role[] roles, String what) {
        if (Arrays.stream(roles).noneMatch(r -> r == caller.role())) {
            throw RpcException.forbidden("role", "role " + caller.role() + " may not call " + what);
        }
    }
}

package org.callibry.server.portal.internal;

import java.util.List;
import java.util.Map;
import org.callibry.server.api.ApiAuthentication;
import org.callibry.server.api.Caller;
import org.callibry.server.api.RpcException;
import org.callibry.shared.api.ErrorCodes;
import org.callibry.shared.api.Role;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.authentication.AccountStatusException;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * Checks the portal's login form against the API's users and login throttle, so a browser login and
 * {@code auth.login} count failures in the same windows. Operators are refused: the portal is not theirs.
 */
class PortalLoginProvider implements AuthenticationProvider {
    private final ApiAuthentication api;

    PortalLoginProvider(ApiAuthentication api) {
        this.api = api;
    }

    /** A refused login, with the message key (and argument) the login page shows. */
    static final class Refused extends AccountStatusException {
        final String reason;
        final long retryAfterSeconds;

        Refused(String reason, long retryAfterSeconds) {
            super(reason);
            this.reason = reason;
            this.retryAfterSeconds = retryAfterSeconds;
        }
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String user = authentication.getName();
        String password = authentication.getCredentials() == null ? "" : authentication.getCredentials().toString();
        String address = authentication.getDetails() instanceof WebAuthenticationDetails d ? d.getRemoteAddress() : "unknown";
        if (user == null || user.isBlank() || password.isEmpty()) {
            throw new Refused("missing", 0);
        }
        Caller caller;
        try {
            caller = api.verifyPassword(user.strip(), password, address);
        } catch (RpcException e) {
            if (e.code() == ErrorCodes.RATE_LIMITED) {
                Map<String, Object> data = e.data();
                Object wait = data == null ? null : data.get("retryAfterSeconds");
                throw new Refused("throttled", wait instanceof Number n ? n.longValue() : 60);
            }
            throw new Refused("bad", 0);
        }
        if (!PortalCallers.PORTAL_ROLES.contains(caller.role())) {
            throw new Refused("operator", 0);
        }
        PortalUser principal = new PortalUser(caller.userId(), caller.username(), caller.role());
        return UsernamePasswordAuthenticationToken.authenticated(principal, null,
                List.of(new SimpleGrantedAuthority("ROLE_" + caller.role().name())));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}

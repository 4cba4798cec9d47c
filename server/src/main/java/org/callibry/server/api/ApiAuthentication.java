package org.callibry.server.api;

import jakarta.servlet.http.HttpServletRequest;
import org.callibry.shared.api.Role;

/** Authenticates HTTP requests outside {@code /api/rpc} (file upload and download) the same way the RPC endpoint does. */
public interface ApiAuthentication {

    /** The caller named by the request's {@code Authorization} header (Bearer or Basic). */
    Caller authenticate(HttpServletRequest request);

    /** {@link #authenticate} and a role check; throws {@link RpcException} (unauthenticated / forbidden). */
    Caller require(HttpServletRequest request, Role... roles);

    /**
     * Checks a user name and password as {@code auth.login} does (failed attempts throttled per user and
     * address) without issuing a token, for a browser login form.
     *
     * @throws RpcException unauthenticated (wrong name or password) or rate-limited (data
     *                      {@code retryAfterSeconds})
     */
    Caller verifyPassword(String username, String password, String remoteAddress);

    /** The enabled user with this id as it is now (role and tenant may have changed), briefly cached. */
    java.util.Optional<Caller> current(long userId);

    /**
     * Makes {@link #authenticate} answer {@code caller} for this request, for a server-side page that
     * forwards its already authenticated browser session to a file endpoint (recording, CSV). A request
     * attribute, so nothing a client sends can set it.
     */
    void actAs(HttpServletRequest request, Caller caller);
}

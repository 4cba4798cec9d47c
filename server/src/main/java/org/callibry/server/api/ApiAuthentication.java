package org.callibry.server.api;

import jakarta.servlet.http.HttpServletRequest;
import org.callibry.shared.api.Role;

/** Authenticates HTTP requests outside {@code /api/rpc} (file upload and download) the same way the RPC endpoint does. */
public interface ApiAuthentication {

    /** The caller named by the request's {@code Authorization} header (Bearer or Basic). */
    Caller authenticate(HttpServletRequest request);

    /** {@link #authenticate} and a role check; throws {@link RpcException} (unauthenticated / forbidden). */
    Caller require(HttpServletRequest request, Role... roles);
}

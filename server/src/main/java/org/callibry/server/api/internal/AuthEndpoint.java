package org.callibry.server.api.internal;

import org.callibry.server.api.CallContext;
import org.callibry.server.api.Caller;
import org.callibry.server.api.RpcMethod;
import org.callibry.shared.api.Methods;
import org.callibry.shared.api.Role;
import org.callibry.shared.api.dto.Auth;
import org.springframework.stereotype.Component;

/** {@code auth.*}: log in for a bearer token, log out, and ask who the token belongs to. */
@Component
class AuthEndpoint {
    private final Authenticator authenticator;

    AuthEndpoint(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    @RpcMethod(value = Methods.AUTH_LOGIN, anonymous = true,
            summary = "Log in with user name and password; returns a bearer token (failed logins are rate limited)")
    Auth.LoginResult login(Auth.Login params, CallContext context) {
        Authenticator.Session session = authenticator.login(params.user(), params.password(), context.remoteAddress());
        return new Auth.LoginResult(session.token().token(), session.token().expiresAt(), identity(session.caller()));
    }

    @RpcMethod(value = Methods.AUTH_LOGOUT, roles = {Role.ADMIN, Role.SUPERVISOR, Role.OPERATOR, Role.CUSTOMER},
            summary = "Revoke the bearer token of this request")
    void logout(Caller caller, CallContext context) {
        authenticator.logout(context.bearerToken());
    }

    @RpcMethod(value = Methods.AUTH_WHOAMI, roles = {Role.ADMIN, Role.SUPERVISOR, Role.OPERATOR, Role.CUSTOMER},
            summary = "The user, role and tenant behind these credentials")
    Auth.Identity whoami(Caller caller) {
        return identity(caller);
    }

    private static Auth.Identity identity(Caller caller) {
        return new Auth.Identity(caller.userId(), caller.username(), caller.role(), caller.tenantId());
    }
}

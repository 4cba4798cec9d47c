package org.callibry.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.callibry.shared.api.ErrorCodes;
import org.callibry.shared.api.Role;
import org.callibry.shared.api.client.CallibryClient;
import org.callibry.shared.api.client.RpcErrorException;
import org.callibry.shared.api.dto.Auth;
import org.callibry.shared.api.dto.Tenants;
import org.callibry.shared.api.dto.Users;
import org.junit.jupiter.api.Test;

/**
 * Authentication and roles: tokens, HTTP Basic, logout, bad credentials, rate limiting of failed
 * logins, role checks per method, and sessions ended by a password change.
 */
class AuthIT extends ApiTestSupport {

    private static void assertError(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, int code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(RpcErrorException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    @Test
    void loginReturnsATokenThatAuthenticatesLaterCalls() {
        CallibryClient c = anonymous();
        Auth.LoginResult r = c.login("admin", ADMIN_PASSWORD);
        assertThat(r.token()).hasSizeGreaterThan(30);
        assertThat(r.identity().role()).isEqualTo(Role.ADMIN);
        assertThat(c.whoami().username()).isEqualTo("admin");
    }

    @Test
    void protectedMethodsNeedCredentials() {
        assertError(() -> anonymous().tenants().list(null), ErrorCodes.UNAUTHENTICATED);
        CallibryClient forged = anonymous();
        forged.useToken("not-a-token");
        assertError(() -> forged.tenants().list(null), ErrorCodes.UNAUTHENTICATED);
    }

    @Test
    void anonymousMethodsWorkWithoutCredentials() {
        assertThat(anonymous().version().name()).isEqualTo("Callibry");
        assertThat(anonymous().discover().has("methods")).isTrue();
    }

    @Test
    void wrongPasswordAndUnknownUserGetTheSameAnswer() {
        RpcErrorException wrong = org.assertj.core.api.Assertions.catchThrowableOfType(RpcErrorException.class,
                () -> anonymous().login("admin", "wrong-password"));
        RpcErrorException unknown = org.assertj.core.api.Assertions.catchThrowableOfType(RpcErrorException.class,
                () -> anonymous().login(unique("nobody"), "wrong-password"));
        assertThat(wrong.code()).isEqualTo(ErrorCodes.UNAUTHENTICATED);
        assertThat(unknown.getMessage()).isEqualTo(wrong.getMessage());
    }

    @Test
    void httpBasicIsAccepted() {
        CallibryClient c = anonymous();
        c.useBasic("admin", ADMIN_PASSWORD);
        assertThat(c.whoami().role()).isEqualTo(Role.ADMIN);
        c.useBasic("admin", "nope");
        assertError(c::whoami, ErrorCodes.UNAUTHENTICATED);
    }

    @Test
    void logoutRevokesTheToken() {
        CallibryClient c = admin();
        String token = c.token();
        c.logout();
        c.useToken(token);
        assertError(c::whoami, ErrorCodes.UNAUTHENTICATED);
    }

    @Test
    void failedLoginsOfOneUserAreRateLimited() {
        String user = unique("target");
        admin().users().create(new Users.Create(user, PASSWORD, Role.OPERATOR, null, null, null, null));
        for (int i = 0; i < 5; i++) {
            assertError(() -> anonymous().login(user, "guess-" + Math.random()), ErrorCodes.UNAUTHENTICATED);
        }
        RpcErrorException limited = org.assertj.core.api.Assertions.catchThrowableOfType(RpcErrorException.class,
                () -> anonymous().login(user, PASSWORD));
        assertThat(limited.code()).as("even the right password is refused while locked").isEqualTo(ErrorCodes.RATE_LIMITED);
        assertThat(limited.data().get("retryAfterSeconds").asLong()).isPositive();
        // other users are not affected
        assertThat(admin().whoami().username()).isEqualTo("admin");
    }

    @Test
    void eachMethodChecksTheCallersRole() {
        Fixture f = fixture();
        CallibryClient operator = as(f.operator());
        CallibryClient supervisor = as(f.supervisor());
        CallibryClient customer = as(f.customer());
        assertError(() -> operator.tenants().create(new Tenants.Create(unique("t"), null, null)), ErrorCodes.FORBIDDEN);
        assertError(() -> operator.tenants().list(null), ErrorCodes.FORBIDDEN);
        assertError(() -> operator.users().list(null), ErrorCodes.FORBIDDEN);
        assertError(operator::health, ErrorCodes.FORBIDDEN);
        assertError(() -> supervisor.accounts().delete(f.account().id()), ErrorCodes.FORBIDDEN);
        assertError(() -> customer.tenants().create(new Tenants.Create(unique("t"), null, null)), ErrorCodes.FORBIDDEN);
        assertError(() -> customer.domains().delete(f.domain().id()), ErrorCodes.FORBIDDEN);
        assertError(() -> customer.users().create(new Users.Create(unique("boss"), PASSWORD, Role.ADMIN, null, null, null, null)),
                ErrorCodes.FORBIDDEN);
        assertError(() -> customer.users().create(new Users.Create(unique("sup"), PASSWORD, Role.SUPERVISOR, null, null, null, null)),
                ErrorCodes.FORBIDDEN);
        // and what they may do works
        assertThat(operator.accounts().list(null).items()).extracting(a -> a.number()).containsExactly("2001");
        assertThat(supervisor.tenants().get(f.tenant().id()).name()).isEqualTo(f.tenant().name());
        assertThat(customer.users().create(new Users.Create(unique("agent"), PASSWORD, Role.OPERATOR, null, null, null, null))
                .tenantId()).isEqualTo(f.tenant().id());
    }

    @Test
    void aNewPasswordEndsTheUsersSessions() {
        Fixture f = fixture();
        CallibryClient customer = as(f.customer());
        long id = customer.whoami().userId();
        admin().users().update(new Users.Update(id, null, "another-password", null, null, null));
        assertError(customer::whoami, ErrorCodes.UNAUTHENTICATED);
        CallibryClient again = anonymous();
        again.login(f.customer(), "another-password");
        assertThat(again.whoami().userId()).isEqualTo(id);
    }

    @Test
    void aDisabledUserCannotLogIn() {
        Fixture f = fixture();
        CallibryClient op = as(f.operator());
        long id = op.whoami().userId();
        admin().users().update(new Users.Update(id, null, null, null, null, false));
        assertError(op::whoami, ErrorCodes.UNAUTHENTICATED);
        assertError(() -> anonymous().login(f.operator(), PASSWORD), ErrorCodes.UNAUTHENTICATED);
    }
}

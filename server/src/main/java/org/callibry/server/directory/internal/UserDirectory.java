package org.callibry.server.directory.internal;

import java.util.Optional;
import org.callibry.server.storage.Sql;
import org.callibry.server.api.Caller;
import org.callibry.server.api.UserCredentials;
import org.callibry.shared.api.Role;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * API users' credentials: BCrypt password hashes, checked in constant work whether the user exists or not.
 * An operator without a tenant of its own belongs to the tenant of its linked SIP account: its calls, pushes
 * and notes are that tenant's, never all tenants'.
 */
@Component
class UserDirectory implements UserCredentials {
    private final JdbcClient jdbc;
    private final BCryptPasswordEncoder encoder = new BCryptPasswordEncoder(10);
    /** Compared against when the user does not exist, so the answer takes as long as for a wrong password. */
    private final String decoyHash = encoder.encode("decoy-password-never-matches");

    UserDirectory(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    String hash(String password) {
        return encoder.encode(password);
    }

    private record Row(Caller caller, String hash, boolean enabled) {
    }

    /** The user's tenant: its own, or for an operator the tenant of its SIP account. */
    private static final String TENANT = "coalesce(u.tenant_id, case when u.role = 'OPERATOR' then"
            + " (select a.tenant_id from sip_account a where a.id = u.account_id) end)";

    @Override
    public Optional<Caller> verify(String username, String password) {
        Optional<Row> row = jdbc.sql("select u.id, u.username, u.role, " + TENANT + " as tenant_id, u.password_hash, u.enabled"
                        + " from app_user u where lower(u.username) = lower(?)")
                .param(username)
                .query((rs, n) -> new Row(new Caller(rs.getLong("id"), rs.getString("username"), Role.valueOf(rs.getString("role")),
                        Sql.nullableLong(rs, "tenant_id")), rs.getString("password_hash"), rs.getBoolean("enabled")))
                .optional();
        boolean matches = encoder.matches(password, row.map(Row::hash).orElse(decoyHash));
        return row.filter(r -> matches && r.enabled()).map(Row::caller);
    }

    @Override
    public Optional<Caller> findEnabled(long userId) {
        return jdbc.sql("select u.id, u.username, u.role, " + TENANT + " as tenant_id from app_user u where u.id = ? and u.enabled")
                .param(userId)
                .query((rs, n) -> new Caller(rs.getLong("id"), rs.getString("username"), Role.valueOf(rs.getString("role")),
                        Sql.nullableLong(rs, "tenant_id")))
                .optional();
    }
}

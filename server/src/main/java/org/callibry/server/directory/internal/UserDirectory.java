package org.callibry.server.directory.internal;

import java.util.Optional;
import org.callibry.server.storage.Sql;
import org.callibry.server.api.Caller;
import org.callibry.server.api.UserCredentials;
import org.callibry.shared.api.Role;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.stereotype.Component;

/** API users' credentials: BCrypt password hashes, checked in constant work whether the user exists or not. */
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

    @Override
    public Optional<Caller> verify(String username, String password) {
        Optional<Row> row = jdbc.sql("select id, username, role, tenant_id, password_hash, enabled from app_user"
                        + " where lower(username) = lower(?)")
                .param(username)
                .query((rs, n) -> new Row(new Caller(rs.getLong("id"), rs.getString("username"), Role.valueOf(rs.getString("role")),
                        Sql.nullableLong(rs, "tenant_id")), rs.getString("password_hash"), rs.getBoolean("enabled")))
                .optional();
        boolean matches = encoder.matches(password, row.map(Row::hash).orElse(decoyHash));
        return row.filter(r -> matches && r.enabled()).map(Row::caller);
    }

    @Override
    public Optional<Caller> findEnabled(long userId) {
        return jdbc.sql("select id, username, role, tenant_id from app_user where id = ? and enabled")
                .param(userId)
                .query((rs, n) -> new Caller(rs.getLong("id"), rs.getString("username"), Role.valueOf(rs.getString("role")),
                        Sql.nullableLong(rs, "tenant_id")))
                .optional();
    }
}

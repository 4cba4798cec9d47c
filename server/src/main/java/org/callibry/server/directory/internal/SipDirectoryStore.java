package org.callibry.server.directory.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.callibry.server.directory.SipDirectory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** {@link SipDirectory} read from the directory tables. */
@Component
class SipDirectoryStore implements SipDirectory {
    private static final String ACCOUNT = "select a.id, a.tenant_id, a.domain_id, d.name, a.number, a.display_name, a.ha1_md5,"
            + " a.ha1_sha256, a.enabled and t.enabled as enabled from sip_account a join sip_domain d on d.id = a.domain_id"
            + " join tenant t on t.id = a.tenant_id";

    private final JdbcClient jdbc;

    SipDirectoryStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<Domain> domains() {
        return jdbc.sql("select id, tenant_id, name, local_alias from sip_domain")
                .query((rs, n) -> new Domain(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getBoolean(4))).list();
    }

    @Override
    public List<Credentials> accounts() {
        return jdbc.sql(ACCOUNT).query(SipDirectoryStore::map).list();
    }

    @Override
    public Optional<Credentials> account(long accountId) {
        return jdbc.sql(ACCOUNT + " where a.id = ?").param(accountId).query(SipDirectoryStore::map).optional();
    }

    @Override
    public Map<Long, Credentials> accounts(Collection<Long> accountIds) {
        Map<Long, Credentials> out = new HashMap<>();
        if (!accountIds.isEmpty()) {
            jdbc.sql(ACCOUNT + " where a.id = any(?)").param(accountIds.toArray(Long[]::new)).query(SipDirectoryStore::map).list()
                    .forEach(c -> out.put(c.accountId(), c));
        }
        return out;
    }

    @Override
    public Optional<Long> accountOfUser(long userId) {
        return jdbc.sql("select account_id from app_user where id = ? and account_id is not null").param(userId)
                .query(Long.class).optional();
    }

    @Override
    public Optional<Long> userOfAccount(long accountId) {
        return jdbc.sql("select id from app_user where account_id = ? and enabled order by (role = 'OPERATOR') desc, id limit 1")
                .param(accountId).query(Long.class).optional();
    }

    private static Credentials map(ResultSet rs, int n) throws SQLException {
        return new Credentials(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getString(5), rs.getString(6),
                rs.getString(7), rs.getString(8), rs.getBoolean(9));
    }
}

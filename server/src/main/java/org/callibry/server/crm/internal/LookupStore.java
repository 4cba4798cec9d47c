package org.callibry.server.crm.internal;

import java.util.List;
import org.callibry.server.storage.Sql;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The {@code crm_lookup} table: each tenant's CRM caller lookup, auth header value included. */
@Component
class LookupStore {
    private static final String COLUMNS = "tenant_id, url_template, auth_header_name, auth_header_value, name_field, company_field,"
            + " notes_field, timeout_ms, cache_ttl_seconds, enabled, updated_at";

    private final JdbcClient jdbc;

    LookupStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<LookupConfig> all() {
        return jdbc.sql("select " + COLUMNS + " from crm_lookup").query((rs, n) -> new LookupConfig(rs.getLong("tenant_id"),
                rs.getString("url_template"), rs.getString("auth_header_name"), rs.getString("auth_header_value"),
                rs.getString("name_field"), rs.getString("company_field"), rs.getString("notes_field"), rs.getInt("timeout_ms"),
                rs.getInt("cache_ttl_seconds"), rs.getBoolean("enabled"), Sql.instant(rs, "updated_at"))).list();
    }

    void save(LookupConfig c) {
        jdbc.sql("insert into crm_lookup (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())"
                        + " on conflict (tenant_id) do update set url_template = excluded.url_template,"
                        + " auth_header_name = excluded.auth_header_name, auth_header_value = excluded.auth_header_value,"
                        + " name_field = excluded.name_field, company_field = excluded.company_field,"
                        + " notes_field = excluded.notes_field, timeout_ms = excluded.timeout_ms,"
                        + " cache_ttl_seconds = excluded.cache_ttl_seconds, enabled = excluded.enabled, updated_at = now()")
                .params(c.tenantId(), c.urlTemplate(), c.authHeaderName(), c.authHeaderValue(), c.nameField(), c.companyField(),
                        c.notesField(), c.timeoutMs(), c.cacheTtlSeconds(), c.enabled()).update();
    }

    boolean delete(long tenantId) {
        return jdbc.sql("delete from crm_lookup where tenant_id = ?").param(tenantId).update() > 0;
    }
}

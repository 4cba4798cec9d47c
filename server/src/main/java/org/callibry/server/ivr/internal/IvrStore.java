package org.callibry.server.ivr.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.callibry.server.storage.Sql;
import org.callibry.shared.api.dto.Ivrs;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The IVR's tables: scenarios at their latest version ({@code ivr_scenario}), every saved version
 * ({@code ivr_version}) and the traces of calls ({@code ivr_run}). Scenarios are read whole at start
 * and after each change; calls run from {@link IvrService}'s memory.
 */
@Component
class IvrStore {
    private static final String COLUMNS = "id, tenant_id, name, number, version, document, created_at, updated_at";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;

    IvrStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<Ivrs.Ivr> all() {
        return jdbc.sql("select " + COLUMNS + " from ivr_scenario order by id").query(IvrStore::map).list();
    }

    Ivrs.Ivr find(long id) {
        return jdbc.sql("select " + COLUMNS + " from ivr_scenario where id = ?").param(id).query(IvrStore::map).optional().orElse(null);
    }

    /** A new scenario at version 1 (and its first version row); run inside a transaction. */
    long insert(long tenantId, String name, String number, JsonNode document, String by) {
        long id = jdbc.sql("insert into ivr_scenario (tenant_id, name, number, document) values (?, ?, ?, cast(? as jsonb))"
                        + " returning id")
                .params(tenantId, name, number, document.toString()).query(Long.class).single();
        version(id, by);
        return id;
    }

    /** The next version of scenario {@code id} (and its version row); run inside a transaction. */
    void update(long id, String name, String number, JsonNode document, String by) {
        jdbc.sql("update ivr_scenario set name = ?, number = ?, document = cast(? as jsonb), version = version + 1,"
                + " updated_at = now() where id = ?").params(name, number, document.toString(), id).update();
        version(id, by);
    }

    private void version(long id, String by) {
        jdbc.sql("insert into ivr_version (scenario_id, version, name, number, document, saved_by)"
                + " select id, version, name, number, document, ? from ivr_scenario where id = ?").params(by == null ? "" : by, id)
                .update();
    }

    void delete(long id) {
        jdbc.sql("delete from ivr_scenario where id = ?").param(id).update();
    }

    List<Ivrs.Version> versions(long id) {
        return jdbc.sql("select version, name, number, document, saved_at, saved_by from ivr_version where scenario_id = ?"
                        + " order by version desc").param(id)
                .query((rs, n) -> new Ivrs.Version(rs.getInt("version"), rs.getString("name"), rs.getString("number"),
                        JSON.readTree(rs.getString("document")), Sql.instant(rs, "saved_at"), rs.getString("saved_by"))).list();
    }

    void saveRun(String callId, long scenarioId, int version, long tenantId, String caller, Instant started, Instant ended,
                 Ivrs.Trace trace) {
        jdbc.sql("insert into ivr_run (call_id, scenario_id, version, tenant_id, caller, started_at, ended_at, trace)"
                        + " values (?, ?, ?, ?, ?, ?, ?, cast(? as jsonb))")
                .params(callId, scenarioId, version, tenantId, caller == null ? "" : caller, Timestamp.from(started),
                        Timestamp.from(ended), JSON.writeValueAsString(trace)).update();
    }

    /** Runs by call id, or of a scenario, or (both null) of the tenants given, newest first. */
    List<Ivrs.Run> runs(String callId, Long scenarioId, Long tenantId, int limit) {
        StringBuilder sql = new StringBuilder("select id, call_id, scenario_id, version, tenant_id, caller, started_at, ended_at,"
                + " trace from ivr_run where true");
        List<Object> params = new java.util.ArrayList<>();
        if (callId != null) {
            sql.append(" and call_id = ?");
            params.add(callId);
        }
        if (scenarioId != null) {
            sql.append(" and scenario_id = ?");
            params.add(scenarioId);
        }
        if (tenantId != null) {
            sql.append(" and tenant_id = ?");
            params.add(tenantId);
        }
        sql.append(" order by started_at desc, id desc limit ?");
        params.add(limit);
        return jdbc.sql(sql.toString()).params(params).query((rs, n) -> new Ivrs.Run(rs.getLong("id"), rs.getString("call_id"),
                rs.getLong("scenario_id"), rs.getInt("version"), rs.getLong("tenant_id"), rs.getString("caller"),
                Sql.instant(rs, "started_at"), Sql.instant(rs, "ended_at"),
                JSON.readValue(rs.getString("trace"), Ivrs.Trace.class))).list();
    }

    private static Ivrs.Ivr map(ResultSet rs, int n) throws SQLException {
        return new Ivrs.Ivr(rs.getLong("id"), rs.getLong("tenant_id"), rs.getString("name"), rs.getString("number"),
                rs.getInt("version"), JSON.readTree(rs.getString("document")), Sql.instant(rs, "created_at"),
                Sql.instant(rs, "updated_at"));
    }
}

package org.callibry.server.routing.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.callibry.server.api.RpcException;
import org.callibry.server.storage.Sql;
import org.callibry.shared.api.dto.Page;
import org.callibry.shared.api.dto.Routes;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The {@code route} table: plain SQL over {@link JdbcClient}. */
@Component
class RouteStore {
    static final String COLUMNS = "id, name, grp, priority, enabled, a_number_mask, a_host_mask, b_number_mask, b_host_mask,"
            + " b_rewrite, a_rewrite_mask, a_rewrite, destination_type, destination, record_call, relay_media,"
            + " max_duration_seconds, continue_on_failure, caller_id, days, time_from, time_to, time_zone, created_at, updated_at";
    static final String ORDER = "priority, id";
    static final Map<String, String> UNIQUE = Map.of("route_name_uq", "name");
    private static final String VALUES = ":name, :grp, :priority, :enabled, :aNumberMask, :aHostMask, :bNumberMask, :bHostMask,"
            + " :bRewrite, :aRewriteMask, :aRewrite, :destinationType, :destination, :recordCall, :relayMedia,"
            + " :maxDurationSeconds, :continueOnFailure, :callerId, :days, :timeFrom, :timeTo, :timeZone";

    private final JdbcClient jdbc;

    RouteStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<Routes.Route> all() {
        return jdbc.sql("select " + COLUMNS + " from route order by " + ORDER).query(RouteStore::map).list();
    }

    Page<Routes.Route> page(Routes.ListParams p) {
        Sql.Where where = new Sql.Where().eq("enabled", p.enabled())
                .search(p.query(), "name", "grp", "a_number_mask", "a_host_mask", "b_number_mask", "b_host_mask", "destination");
        if (p.group() != null) {
            where.and("lower(grp) = lower(:grp)", "grp", p.group().strip());
        }
        return Sql.page(jdbc, COLUMNS, "route", where, ORDER, p.offset(), p.limit(), RouteStore::map);
    }

    Optional<Routes.Route> find(long id) {
        return jdbc.sql("select " + COLUMNS + " from route where id = ?").param(id).query(RouteStore::map).optional();
    }

    Routes.Route get(long id) {
        return find(id).orElseThrow(() -> RpcException.notFound("route", id));
    }

    long count() {
        return jdbc.sql("select count(*) from route").query(Long.class).single();
    }

    /** The priority after the last route's (10 steps apart, so a route fits between two). */
    int nextPriority() {
        return jdbc.sql("select coalesce(max(priority), 0) + 10 from route").query(Integer.class).single();
    }

    /** Inserts the route (its id and timestamps are ignored); a taken name is a conflict on {@code name}. */
    Routes.Route insert(Routes.Route r) {
        try {
            return jdbc.sql("insert into route (name, grp, priority, enabled, a_number_mask, a_host_mask, b_number_mask,"
                            + " b_host_mask, b_rewrite, a_rewrite_mask, a_rewrite, destination_type, destination, record_call,"
                            + " relay_media, max_duration_seconds, continue_on_failure, caller_id, days, time_from, time_to,"
                            + " time_zone) values (" + VALUES + ") returning " + COLUMNS)
                    .params(params(r)).query(RouteStore::map).single();
        } catch (DataIntegrityViolationException e) {
            throw Sql.conflict(e, UNIQUE);
        }
    }

    Routes.Route update(Routes.Route r) {
        try {
            return jdbc.sql("update route set name = :name, grp = :grp, priority = :priority, enabled = :enabled,"
                            + " a_number_mask = :aNumberMask, a_host_mask = :aHostMask, b_number_mask = :bNumberMask,"
                            + " b_host_mask = :bHostMask, b_rewrite = :bRewrite, a_rewrite_mask = :aRewriteMask,"
                            + " a_rewrite = :aRewrite, destination_type = :destinationType, destination = :destination,"
                            + " record_call = :recordCall, relay_media = :relayMedia, max_duration_seconds = :maxDurationSeconds,"
                            + " continue_on_failure = :continueOnFailure, caller_id = :callerId, days = :days,"
                            + " time_from = :timeFrom, time_to = :timeTo, time_zone = :timeZone, updated_at = now()"
                            + " where id = :id returning " + COLUMNS)
                    .params(params(r)).param("id", r.id()).query(RouteStore::map).single();
        } catch (DataIntegrityViolationException e) {
            throw Sql.conflict(e, UNIQUE);
        }
    }

    boolean delete(long id) {
        return jdbc.sql("delete from route where id = ?").param(id).update() > 0;
    }

    int deleteAll() {
        return jdbc.sql("delete from route").update();
    }

    void setPriority(long id, int priority) {
        jdbc.sql("update route set priority = ?, updated_at = now() where id = ? and priority <> ?")
                .params(priority, id, priority).update();
    }

    /** Has any route ever been created (even if deleted since)? Tells a first start from an emptied table. */
    boolean everUsed() {
        return count() > 0 || Boolean.TRUE.equals(jdbc.sql("select is_called from route_id_seq").query(Boolean.class).single());
    }

    private static Map<String, Object> params(Routes.Route r) {
        java.util.HashMap<String, Object> p = new java.util.HashMap<>();
        p.put("name", r.name());
        p.put("grp", r.group());
        p.put("priority", r.priority());
        p.put("enabled", r.enabled());
        p.put("aNumberMask", r.aNumberMask());
        p.put("aHostMask", r.aHostMask());
        p.put("bNumberMask", r.bNumberMask());
        p.put("bHostMask", r.bHostMask());
        p.put("bRewrite", r.bRewrite());
        p.put("aRewriteMask", r.aRewriteMask());
        p.put("aRewrite", r.aRewrite());
        p.put("destinationType", r.destinationType().name());
        p.put("destination", r.destination());
        p.put("recordCall", r.recordCall());
        p.put("relayMedia", r.relayMedia());
        p.put("maxDurationSeconds", r.maxDurationSeconds());
        p.put("continueOnFailure", r.continueOnFailure());
        p.put("callerId", r.callerId());
        p.put("days", RouteCompiler.days(r.days()));
        p.put("timeFrom", r.timeFrom() == null ? null : LocalTime.parse(r.timeFrom()));
        p.put("timeTo", r.timeTo() == null ? null : LocalTime.parse(r.timeTo()));
        p.put("timeZone", r.timeZone());
        return p;
    }

    static Routes.Route map(ResultSet rs, int n) throws SQLException {
        String days = rs.getString("days");
        LocalTime from = rs.getObject("time_from", LocalTime.class);
        LocalTime to = rs.getObject("time_to", LocalTime.class);
        int max = rs.getInt("max_duration_seconds");
        Integer maxDuration = rs.wasNull() ? null : max;
        return new Routes.Route(rs.getLong("id"), rs.getString("name"), rs.getString("grp"), rs.getInt("priority"),
                rs.getBoolean("enabled"), rs.getString("a_number_mask"), rs.getString("a_host_mask"),
                rs.getString("b_number_mask"), rs.getString("b_host_mask"), rs.getString("b_rewrite"),
                rs.getString("a_rewrite_mask"), rs.getString("a_rewrite"),
                Routes.DestinationType.valueOf(rs.getString("destination_type")), rs.getString("destination"),
                rs.getBoolean("record_call"), rs.getBoolean("relay_media"), maxDuration, rs.getBoolean("continue_on_failure"),
                rs.getString("caller_id"),
                days.isEmpty() ? List.of() : Arrays.stream(days.split(",")).map(Integer::valueOf).toList(),
                from == null ? null : from.toString(), to == null ? null : to.toString(), rs.getString("time_zone"),
                Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"));
    }
}

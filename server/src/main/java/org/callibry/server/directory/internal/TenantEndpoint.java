package org.callibry.server.directory.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import org.callibry.server.storage.Sql;
import org.callibry.server.api.Caller;
import org.callibry.server.api.RpcException;
import org.callibry.server.api.RpcMethod;
import org.callibry.server.directory.DirectoryChanged;
import org.callibry.shared.api.Methods;
import org.callibry.shared.api.Role;
import org.callibry.shared.api.dto.IdParams;
import org.callibry.shared.api.dto.Page;
import org.callibry.shared.api.dto.Tenants;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** {@code tenant.*}: the operator's customers. Admins manage them; others see only their own. */
@Component
class TenantEndpoint implements org.callibry.server.directory.TenantZones {
    private static final String COLUMNS = "id, name, description, enabled, created_at, updated_at, time_zone";
    private static final Map<String, String> UNIQUE = Map.of("tenant_name_uq", "name");

    private final JdbcClient jdbc;
    private final java.util.Map<Long, java.time.ZoneId> zones = new java.util.concurrent.ConcurrentHashMap<>();
    private final ApplicationEventPublisher events;

    TenantEndpoint(JdbcClient jdbc, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.events = events;
    }

    @RpcMethod(value = "tenant.list", roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER},
            summary = "Tenants by name, paged; a tenant-bound user sees only its own")
    Page<Tenants.Tenant> list(Caller caller, Tenants.ListParams params) {
        Sql.Where where = new Sql.Where().eq("id", caller.tenantId()).search(params.query(), "name", "description");
        return Sql.page(jdbc, COLUMNS, "tenant", where, "lower(name), id", params.offset(), params.limit(), TenantEndpoint::map);
    }

    @RpcMethod(value = "tenant.get", roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER}, summary = "One tenant")
    Tenants.Tenant get(Caller caller, IdParams params) {
        Tenants.Tenant t = find(params.id());
        if (!caller.canSee(t.id())) {
            throw RpcException.notFound("tenant", params.id());
        }
        return t;
    }

    @RpcMethod(value = "tenant.create", roles = Role.ADMIN, summary = "Create a tenant (name unique, case-insensitive)")
    Tenants.Tenant create(Tenants.Create params) {
        try {
            Tenants.Tenant t = jdbc.sql("insert into tenant (name, description, enabled, time_zone) values (?, ?, ?, ?) returning "
                            + COLUMNS)
                    .params(params.name().strip(), params.description() == null ? "" : params.description(),
                            params.enabled() == null || params.enabled(), zone(params.timeZone(), "UTC"))
                    .query(TenantEndpoint::map).single();
            events.publishEvent(new DirectoryChanged(Methods.TENANT, t.id(), t.id(), "created"));
            return t;
        } catch (DataIntegrityViolationException e) {
            throw Sql.conflict(e, UNIQUE);
        }
    }

    @RpcMethod(value = "tenant.update", roles = Role.ADMIN, summary = "Change a tenant's name, description or enabled flag")
    Tenants.Tenant update(Tenants.Update params) {
        find(params.id());
        try {
            Tenants.Tenant t = jdbc.sql("update tenant set name = coalesce(?, name), description = coalesce(?, description),"
                            + " enabled = coalesce(?, enabled), time_zone = coalesce(?, time_zone), updated_at = now() where id = ?"
                            + " returning " + COLUMNS)
                    .params(params.name() == null ? null : params.name().strip(), params.description(), params.enabled(),
                            zone(params.timeZone(), null), params.id())
                    .query(TenantEndpoint::map).single();
            events.publishEvent(new DirectoryChanged(Methods.TENANT, t.id(), t.id(), "updated"));
            return t;
        } catch (DataIntegrityViolationException e) {
            throw Sql.conflict(e, UNIQUE);
        }
    }

    @RpcMethod(value = "tenant.delete", roles = Role.ADMIN,
            summary = "Delete a tenant that owns nothing any more (domains, accounts, users, contacts, audio)")
    void delete(IdParams params) {
        find(params.id());
        try {
            jdbc.sql("delete from tenant where id = ?").param(params.id()).update();
        } catch (DataIntegrityViolationException e) {
            throw Sql.conflict(e, UNIQUE);
        }
        events.publishEvent(new DirectoryChanged(Methods.TENANT, params.id(), params.id(), "deleted"));
    }

    /** The tenant a create call names in {@code field}; a missing one is an invalid parameter. */
    Tenants.Tenant named(long id, String field) {
        return jdbc.sql("select " + COLUMNS + " from tenant where id = ?").param(id).query(TenantEndpoint::map)
                .optional().orElseThrow(() -> RpcException.invalid(field, "tenant " + id + " does not exist"));
    }

    Tenants.Tenant find(long id) {
        return jdbc.sql("select " + COLUMNS + " from tenant where id = ?").param(id).query(TenantEndpoint::map)
                .optional().orElseThrow(() -> RpcException.notFound("tenant", id));
    }

    static Tenants.Tenant map(ResultSet rs, int n) throws SQLException {
        return new Tenants.Tenant(rs.getLong("id"), rs.getString("name"), rs.getString("description"),
                rs.getBoolean("enabled"), Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"), rs.getString("time_zone"));
    }

    /** A valid IANA zone id as given, or {@code absent} when none is. */
    private static String zone(String timeZone, String absent) {
        if (timeZone == null || timeZone.isBlank()) {
            return absent;
        }
        try {
            return java.time.ZoneId.of(timeZone.strip()).getId();
        } catch (java.time.DateTimeException e) {
            throw RpcException.invalid("timeZone", "unknown time zone '" + timeZone + "' (an IANA name such as Europe/Moscow)");
        }
    }

    @Override
    public java.time.ZoneId zone(long tenantId) {
        return zones.computeIfAbsent(tenantId, id -> jdbc.sql("select time_zone from tenant where id = ?").param(id)
                .query(String.class).optional().map(java.time.ZoneId::of).orElse(java.time.ZoneOffset.UTC));
    }

    @org.springframework.context.event.EventListener
    void on(DirectoryChanged e) {
        if (Methods.TENANT.equals(e.family())) {
            zones.remove(e.id());
        }
    }
}

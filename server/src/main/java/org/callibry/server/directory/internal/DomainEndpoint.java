package org.callibry.server.directory.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import org.callibry.server.storage.Sql;
import org.callibry.server.api.Caller;
import org.callibry.server.api.RpcException;
import org.callibry.server.api.RpcMethod;
import org.callibry.server.directory.DirectoryChanged;
import org.callibry.shared.api.Methods;
import org.callibry.shared.api.Role;
import org.callibry.shared.api.dto.Domains;
import org.callibry.shared.api.dto.IdParams;
import org.callibry.shared.api.dto.Page;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * {@code domain.*}: SIP domains. The name is the digest realm of the domain's accounts and never
 * changes; at most one domain is the local alias (answers to the server's own addresses).
 */
@Component
class DomainEndpoint {
    private static final String COLUMNS = "id, tenant_id, name, local_alias, created_at, updated_at";
    private static final Map<String, String> UNIQUE = Map.of(
            "sip_domain_name_uq", "name",
            "sip_domain_local_alias_uq", "localAlias");

    private final JdbcClient jdbc;
    private final TenantEndpoint tenants;
    private final ApplicationEventPublisher events;

    DomainEndpoint(JdbcClient jdbc, TenantEndpoint tenants, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.tenants = tenants;
        this.events = events;
    }

    @RpcMethod(value = "domain.list", roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER},
            summary = "SIP domains, paged; filter by tenant and name")
    Page<Domains.Domain> list(Caller caller, Domains.ListParams params) {
        Sql.Where where = new Sql.Where().eq("tenant_id", caller.scopeTenant(params.tenantId(), "tenantId"))
                .search(params.query(), "name");
        return Sql.page(jdbc, COLUMNS, "sip_domain", where, "lower(name), id", params.offset(), params.limit(), DomainEndpoint::map);
    }

    @RpcMethod(value = "domain.get", roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER}, summary = "One SIP domain")
    Domains.Domain get(Caller caller, IdParams params) {
        return visible(caller, params.id());
    }

    @RpcMethod(value = "domain.create", roles = Role.ADMIN, summary = "Create a SIP domain for a tenant (name unique)")
    Domains.Domain create(Domains.Create params) {
        tenants.named(params.tenantId(), "tenantId");
        try {
            Domains.Domain d = jdbc.sql("insert into sip_domain (tenant_id, name, local_alias) values (?, ?, ?) returning " + COLUMNS)
                    .params(params.tenantId(), params.name().toLowerCase(Locale.ROOT), Boolean.TRUE.equals(params.localAlias()))
                    .query(DomainEndpoint::map).single();
            events.publishEvent(new DirectoryChanged(Methods.DOMAIN, d.id(), d.tenantId(), "created"));
            return d;
        } catch (DataIntegrityViolationException e) {
            throw Sql.conflict(e, UNIQUE);
        }
    }

    @RpcMethod(value = "domain.update", roles = Role.ADMIN,
            summary = "Make a domain the local alias or not (the name is the realm of its accounts and cannot change)")
    Domains.Domain update(Domains.Update params) {
        find(params.id());
        try {
            Domains.Domain d = jdbc.sql("update sip_domain set local_alias = coalesce(?, local_alias), updated_at = now()"
                            + " where id = ? returning " + COLUMNS)
                    .params(params.localAlias(), params.id()).query(DomainEndpoint::map).single();
            events.publishEvent(new DirectoryChanged(Methods.DOMAIN, d.id(), d.tenantId(), "updated"));
            return d;
        } catch (DataIntegrityViolationException e) {
            throw Sql.conflict(e, UNIQUE);
        }
    }

    @RpcMethod(value = "domain.delete", roles = Role.ADMIN, summary = "Delete a SIP domain that has no accounts")
    void delete(IdParams params) {
        Domains.Domain d = find(params.id());
        try {
            jdbc.sql("delete from sip_domain where id = ?").param(params.id()).update();
        } catch (DataIntegrityViolationException e) {
            throw Sql.conflict(e, UNIQUE);
        }
        events.publishEvent(new DirectoryChanged(Methods.DOMAIN, d.id(), d.tenantId(), "deleted"));
    }

    /** The domain if the caller may see it; another tenant's domain is reported as not found. */
    Domains.Domain visible(Caller caller, long id) {
        Domains.Domain d = find(id);
        if (!caller.canSee(d.tenantId())) {
            throw RpcException.notFound("domain", id);
        }
        return d;
    }

    Domains.Domain find(long id) {
        return jdbc.sql("select " + COLUMNS + " from sip_domain where id = ?").param(id).query(DomainEndpoint::map)
                .optional().orElseThrow(() -> RpcException.notFound("domain", id));
    }

    static Domains.Domain map(ResultSet rs, int n) throws SQLException {
        return new Domains.Domain(rs.getLong("id"), rs.getLong("tenant_id"), rs.getString("name"),
                rs.getBoolean("local_alias"), Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"));
    }
}

package org.callibry.server.directory.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import org.callibry.server.storage.Sql;
import org.callibry.server.api.Caller;
import org.callibry.server.api.RpcException;
import org.callibry.server.api.RpcMethod;
import org.callibry.server.directory.AccountPresence;
import org.callibry.server.directory.DirectoryChanged;
import org.callibry.shared.api.Methods;
import org.callibry.shared.api.Role;
import org.callibry.shared.api.dto.Accounts;
import org.callibry.shared.api.dto.Domains;
import org.callibry.shared.api.dto.IdParams;
import org.callibry.shared.api.dto.Page;
import org.callibry.shared.sip.DigestHashes;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * {@code account.*}: SIP accounts. Passwords are turned into digest HA1 values (realm = domain name)
 * on the way in and are never stored or returned.
 */
@Component
class AccountEndpoint {
    private static final String COLUMNS = "a.id, a.tenant_id, a.domain_id, d.name as domain, a.number, a.display_name,"
            + " a.enabled, a.created_at, a.updated_at";
    private static final String FROM = "sip_account a join sip_domain d on d.id = a.domain_id";
    private static final Map<String, String> UNIQUE = Map.of("sip_account_number_uq", "number");

    private final JdbcClient jdbc;
    private final DomainEndpoint domains;
    private final ApplicationEventPublisher events;
    private final ObjectProvider<AccountPresence> presence;

    AccountEndpoint(JdbcClient jdbc, DomainEndpoint domains, ApplicationEventPublisher events,
                    ObjectProvider<AccountPresence> presence) {
        this.jdbc = jdbc;
        this.domains = domains;
        this.events = events;
        this.presence = presence;
    }

    @RpcMethod(value = "account.list", roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER, Role.OPERATOR},
            summary = "SIP accounts, paged; filter by tenant, domain, number or name, enabled")
    Page<Accounts.Account> list(Caller caller, Accounts.ListParams params) {
        Sql.Where where = new Sql.Where().eq("a.tenant_id", caller.scopeTenant(params.tenantId(), "tenantId"))
                .eq("a.domain_id", params.domainId()).eq("a.enabled", params.enabled())
                .search(params.query(), "a.number", "a.display_name");
        return Sql.page(jdbc, COLUMNS, FROM, where, "d.name, a.number", params.offset(), params.limit(), this::map);
    }

    @RpcMethod(value = "account.get", roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER, Role.OPERATOR},
            summary = "One SIP account (never its password or digests)")
    Accounts.Account get(Caller caller, IdParams params) {
        return visible(caller, params.id());
    }

    @RpcMethod(value = "account.create", roles = {Role.ADMIN, Role.CUSTOMER},
            summary = "Create a SIP account in a domain (number unique in the domain)")
    Accounts.Account create(Caller caller, Accounts.Create params) {
        Domains.Domain domain = domainFor(caller, params.domainId());
        String realm = domain.name();
        try {
            long id = jdbc.sql("insert into sip_account (tenant_id, domain_id, number, display_name, ha1_md5, ha1_sha256, enabled)"
                            + " values (?, ?, ?, ?, ?, ?, ?) returning id")
                    .params(domain.tenantId(), domain.id(), params.number(),
                            params.displayName() == null ? "" : params.displayName().strip(),
                            DigestHashes.ha1Md5(params.number(), realm, params.password()),
                            DigestHashes.ha1Sha256(params.number(), realm, params.password()),
                            params.enabled() == null || params.enabled())
                    .query(Long.class).single();
            events.publishEvent(new DirectoryChanged(Methods.ACCOUNT, id, domain.tenantId(), "created"));
            return find(id);
        } catch (DataIntegrityViolationException e) {
            throw Sql.conflict(e, UNIQUE);
        }
    }

    @RpcMethod(value = "account.update", roles = {Role.ADMIN, Role.CUSTOMER},
            summary = "Change an account's display name, password or enabled flag")
    Accounts.Account update(Caller caller, Accounts.Update params) {
        Accounts.Account a = visible(caller, params.id());
        String md5 = null;
        String sha = null;
        if (params.password() != null) {
            md5 = DigestHashes.ha1Md5(a.number(), a.domain(), params.password());
            sha = DigestHashes.ha1Sha256(a.number(), a.domain(), params.password());
        }
        jdbc.sql("update sip_account set display_name = coalesce(?, display_name), ha1_md5 = coalesce(?, ha1_md5),"
                        + " ha1_sha256 = coalesce(?, ha1_sha256), enabled = coalesce(?, enabled), updated_at = now() where id = ?")
                .params(params.displayName() == null ? null : params.displayName().strip(), md5, sha, params.enabled(), a.id())
                .update();
        events.publishEvent(new DirectoryChanged(Methods.ACCOUNT, a.id(), a.tenantId(), "updated"));
        return find(a.id());
    }

    @RpcMethod(value = "account.delete", roles = {Role.ADMIN, Role.CUSTOMER}, summary = "Delete a SIP account")
    void delete(Caller caller, IdParams params) {
        Accounts.Account a = visible(caller, params.id());
        jdbc.sql("delete from sip_account where id = ?").param(a.id()).update();
        events.publishEvent(new DirectoryChanged(Methods.ACCOUNT, a.id(), a.tenantId(), "deleted"));
    }

    /** The domain named by {@code domainId} of a create call, if the caller may use it. */
    private Domains.Domain domainFor(Caller caller, long domainId) {
        try {
            return domains.visible(caller, domainId);
        } catch (RpcException e) {
            throw RpcException.invalid("domainId", "domain " + domainId + " does not exist");
        }
    }

    /** The account if the caller may see it; another tenant's account is reported as not found. */
    Accounts.Account visible(Caller caller, long id) {
        Accounts.Account a = find(id);
        if (!caller.canSee(a.tenantId())) {
            throw RpcException.notFound("account", id);
        }
        return a;
    }

    Accounts.Account find(long id) {
        return jdbc.sql("select " + COLUMNS + " from " + FROM + " where a.id = ?").param(id).query(this::map)
                .optional().orElseThrow(() -> RpcException.notFound("account", id));
    }

    /** A row with its registration state from the registrar (offline when no registrar runs). */
    Accounts.Account map(ResultSet rs, int n) throws SQLException {
        long id = rs.getLong("id");
        AccountPresence p = presence.getIfAvailable();
        return new Accounts.Account(id, rs.getLong("tenant_id"), rs.getLong("domain_id"), rs.getString("domain"),
                rs.getString("number"), rs.getString("display_name"), rs.getBoolean("enabled"),
                Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"),
                p == null ? 0 : p.contacts(id), p == null ? null : p.registeredUntil(id).orElse(null));
    }
}

package org.callibry.server.directory.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import org.callibry.server.storage.Sql;
import org.callibry.server.api.Caller;
import org.callibry.server.api.CredentialsChanged;
import org.callibry.server.api.RpcException;
import org.callibry.server.api.RpcMethod;
import org.callibry.server.directory.DirectoryChanged;
import org.callibry.shared.api.Methods;
import org.callibry.shared.api.Role;
import org.callibry.shared.api.dto.Accounts;
import org.callibry.shared.api.dto.IdParams;
import org.callibry.shared.api.dto.Page;
import org.callibry.shared.api.dto.Users;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code user.*}: API users. Admins manage everyone; a customer manages the customer and operator
 * users of its own tenant. Admins are never bound to a tenant, customers always are; the last enabled
 * admin cannot be removed, disabled or demoted.
 */
@Component
class UserEndpoint {
    private static final String COLUMNS = "id, username, display_name, role, tenant_id, account_id, enabled, created_at, updated_at";
    private static final Map<String, String> UNIQUE = Map.of("app_user_username_uq", "username");
    private static final Set<Role> CUSTOMER_MANAGES = Set.of(Role.CUSTOMER, Role.OPERATOR);

    private final JdbcClient jdbc;
    private final UserDirectory directory;
    private final TenantEndpoint tenants;
    private final AccountEndpoint accounts;
    private final ApplicationEventPublisher events;

    UserEndpoint(JdbcClient jdbc, UserDirectory directory, TenantEndpoint tenants, AccountEndpoint accounts,
                 ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.directory = directory;
        this.tenants = tenants;
        this.accounts = accounts;
        this.events = events;
    }

    @RpcMethod(value = "user.list", roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER},
            summary = "API users, paged; filter by tenant, role, name")
    Page<Users.User> list(Caller caller, Users.ListParams params) {
        Sql.Where where = new Sql.Where().eq("tenant_id", caller.scopeTenant(params.tenantId(), "tenantId"))
                .eq("role", params.role()).search(params.query(), "username", "display_name");
        return Sql.page(jdbc, COLUMNS, "app_user", where, "lower(username)", params.offset(), params.limit(), UserEndpoint::map);
    }

    @RpcMethod(value = "user.get", roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER}, summary = "One API user (never its password)")
    Users.User get(Caller caller, IdParams params) {
        return visible(caller, params.id());
    }

    @RpcMethod(value = "user.create", roles = {Role.ADMIN, Role.CUSTOMER},
            summary = "Create an API user; admins are unbound, customers bound to a tenant")
    Users.User create(Caller caller, Users.Create params) {
        Long tenantId = caller.scopeTenant(params.tenantId(), "tenantId");
        checkRoleAllowed(caller, params.role());
        checkBinding(params.role(), tenantId);
        if (tenantId != null) {
            tenants.named(tenantId, "tenantId");
        }
        checkAccount(caller, params.accountId(), tenantId);
        try {
            long id = jdbc.sql("insert into app_user (username, password_hash, role, tenant_id, account_id, display_name, enabled)"
                            + " values (?, ?, ?, ?, ?, ?, ?) returning id")
                    .params(params.username(), directory.hash(params.password()), params.role().name(), tenantId,
                            params.accountId(), params.displayName() == null ? "" : params.displayName().strip(),
                            params.enabled() == null || params.enabled())
                    .query(Long.class).single();
            events.publishEvent(new DirectoryChanged(Methods.USER, id, tenantId, "created"));
            return find(id);
        } catch (DataIntegrityViolationException e) {
            throw Sql.conflict(e, UNIQUE);
        }
    }

    @RpcMethod(value = "user.update", roles = {Role.ADMIN, Role.CUSTOMER},
            summary = "Change a user's name, password, role, linked SIP account or enabled flag (a new password or role ends its sessions)")
    @Transactional
    Users.User update(Caller caller, Users.Update params) {
        Users.User u = visible(caller, params.id());
        checkRoleAllowed(caller, u.role());
        if (params.role() != null) {
            checkRoleAllowed(caller, params.role());
            checkBinding(params.role(), u.tenantId());
        }
        checkAccount(caller, params.accountId(), u.tenantId());
        boolean staysAdmin = (params.role() == null || params.role() == Role.ADMIN) && !Boolean.FALSE.equals(params.enabled());
        if (u.role() == Role.ADMIN && u.enabled() && !staysAdmin) {
            checkNotLastAdmin(u.id());
        }
        jdbc.sql("update app_user set display_name = coalesce(?, display_name), password_hash = coalesce(?, password_hash),"
                        + " role = coalesce(?, role), account_id = coalesce(?, account_id), enabled = coalesce(?, enabled),"
                        + " updated_at = now() where id = ?")
                .params(params.displayName() == null ? null : params.displayName().strip(),
                        params.password() == null ? null : directory.hash(params.password()),
                        params.role() == null ? null : params.role().name(), params.accountId(), params.enabled(), u.id())
                .update();
        boolean revoke = params.password() != null || (params.role() != null && params.role() != u.role())
                || Boolean.FALSE.equals(params.enabled());
        events.publishEvent(new CredentialsChanged(u.id(), revoke));
        events.publishEvent(new DirectoryChanged(Methods.USER, u.id(), u.tenantId(), "updated"));
        return find(u.id());
    }

    @RpcMethod(value = "user.delete", roles = {Role.ADMIN, Role.CUSTOMER}, summary = "Delete an API user and its sessions")
    @Transactional
    void delete(Caller caller, IdParams params) {
        Users.User u = visible(caller, params.id());
        checkRoleAllowed(caller, u.role());
        if (u.role() == Role.ADMIN && u.enabled()) {
            checkNotLastAdmin(u.id());
        }
        jdbc.sql("delete from app_user where id = ?").param(u.id()).update();
        events.publishEvent(new CredentialsChanged(u.id(), true));
        events.publishEvent(new DirectoryChanged(Methods.USER, u.id(), u.tenantId(), "deleted"));
    }

    private static void checkRoleAllowed(Caller caller, Role role) {
        if (caller.role() == Role.CUSTOMER && !CUSTOMER_MANAGES.contains(role)) {
            throw RpcException.forbidden("role", "a customer manages customer and operator users only");
        }
    }

    private static void checkBinding(Role role, Long tenantId) {
        if (role == Role.ADMIN && tenantId != null) {
            throw RpcException.invalid("tenantId", "an admin is not bound to a tenant");
        }
        if (role == Role.CUSTOMER && tenantId == null) {
            throw RpcException.invalid("tenantId", "a customer user needs a tenant");
        }
    }

    private void checkAccount(Caller caller, Long accountId, Long tenantId) {
        if (accountId == null) {
            return;
        }
        Accounts.Account a;
        try {
            a = accounts.visible(caller, accountId);
        } catch (RpcException e) {
            throw RpcException.invalid("accountId", "account " + accountId + " does not exist");
        }
        if (tenantId != null && a.tenantId() != tenantId) {
            throw RpcException.invalid("accountId", "the account belongs to another tenant");
        }
    }

    private void checkNotLastAdmin(long userId) {
        // lock the admins so two concurrent demotions cannot both pass the check
        long others = jdbc.sql("select count(*) from (select id from app_user where role = 'ADMIN' and enabled and id <> ? for update) a")
                .param(userId).query(Long.class).single();
        if (others == 0) {
            throw RpcException.conflict("id", "the last enabled admin cannot be removed, disabled or demoted");
        }
    }

    Users.User visible(Caller caller, long id) {
        Users.User u = find(id);
        if (u.tenantId() == null ? caller.tenantBound() : !caller.canSee(u.tenantId())) {
            throw RpcException.notFound("user", id);
        }
        return u;
    }

    Users.User find(long id) {
        return jdbc.sql("select " + COLUMNS + " from app_user where id = ?").param(id).query(UserEndpoint::map)
                .optional().orElseThrow(() -> RpcException.notFound("user", id));
    }

    static Users.User map(ResultSet rs, int n) throws SQLException {
        return new Users.User(rs.getLong("id"), rs.getString("username"), rs.getString("display_name"),
                Role.valueOf(rs.getString("role")), Sql.nullableLong(rs, "tenant_id"), Sql.nullableLong(rs, "account_id"),
                rs.getBoolean("enabled"), Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"));
    }

}

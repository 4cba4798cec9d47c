package org.callibry.server.directory.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.callibry.server.storage.Sql;
import org.callibry.server.api.Caller;
import org.callibry.server.api.RpcException;
import org.callibry.server.api.RpcMethod;
import org.callibry.server.directory.DirectoryChanged;
import org.callibry.shared.api.Methods;
import org.callibry.shared.api.Role;
import org.callibry.shared.api.dto.Contacts;
import org.callibry.shared.api.dto.IdParams;
import org.callibry.shared.api.dto.Page;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** {@code contact.*}: a tenant's company directory, searchable by name, number, company or e-mail. */
@Component
class ContactEndpoint implements org.callibry.server.directory.ContactBook {
    private static final String COLUMNS = "id, tenant_id, name, number, email, company, note, created_at, updated_at";

    private final JdbcClient jdbc;
    private final TenantEndpoint tenants;
    private final ApplicationEventPublisher events;

    ContactEndpoint(JdbcClient jdbc, TenantEndpoint tenants, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.tenants = tenants;
        this.events = events;
    }

    @RpcMethod(value = "contact.list", roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER, Role.OPERATOR},
            summary = "Contacts, paged; query matches name, number, company and e-mail")
    Page<Contacts.Contact> list(Caller caller, Contacts.ListParams params) {
        Sql.Where where = new Sql.Where().eq("tenant_id", caller.scopeTenant(params.tenantId(), "tenantId"))
                .search(params.query(), "name", "number", "company", "email");
        return Sql.page(jdbc, COLUMNS, "contact", where, "lower(name), id", params.offset(), params.limit(), ContactEndpoint::map);
    }

    @RpcMethod(value = "contact.get", roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER, Role.OPERATOR}, summary = "One contact")
    Contacts.Contact get(Caller caller, IdParams params) {
        return visible(caller, params.id());
    }

    @RpcMethod(value = "contact.create", roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER},
            summary = "Add a contact to a tenant's directory")
    Contacts.Contact create(Caller caller, Contacts.Create params) {
        Long tenantId = caller.scopeTenant(params.tenantId(), "tenantId");
        if (tenantId == null) {
            throw RpcException.invalid("tenantId", "must not be null");
        }
        tenants.named(tenantId, "tenantId");
        Contacts.Contact c = jdbc.sql("insert into contact (tenant_id, name, number, email, company, note)"
                        + " values (?, ?, ?, ?, ?, ?) returning " + COLUMNS)
                .params(tenantId, params.name().strip(), params.number(), orEmpty(params.email()), orEmpty(params.company()),
                        orEmpty(params.note()))
                .query(ContactEndpoint::map).single();
        events.publishEvent(new DirectoryChanged(Methods.CONTACT, c.id(), c.tenantId(), "created"));
        return c;
    }

    @RpcMethod(value = "contact.update", roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER}, summary = "Change a contact")
    Contacts.Contact update(Caller caller, Contacts.Update params) {
        Contacts.Contact old = visible(caller, params.id());
        Contacts.Contact c = jdbc.sql("update contact set name = coalesce(?, name), number = coalesce(?, number),"
                        + " email = coalesce(?, email), company = coalesce(?, company), note = coalesce(?, note), updated_at = now()"
                        + " where id = ? returning " + COLUMNS)
                .params(params.name() == null ? null : params.name().strip(), params.number(), params.email(), params.company(),
                        params.note(), old.id())
                .query(ContactEndpoint::map).single();
        events.publishEvent(new DirectoryChanged(Methods.CONTACT, c.id(), c.tenantId(), "updated"));
        return c;
    }

    @RpcMethod(value = "contact.delete", roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER}, summary = "Delete a contact")
    void delete(Caller caller, IdParams params) {
        Contacts.Contact c = visible(caller, params.id());
        jdbc.sql("delete from contact where id = ?").param(c.id()).update();
        events.publishEvent(new DirectoryChanged(Methods.CONTACT, c.id(), c.tenantId(), "deleted"));
    }

    @Override
    public java.util.Optional<Contacts.Contact> byNumber(long tenantId, String number) {
        return jdbc.sql("select " + COLUMNS + " from contact where tenant_id = ? and number = ? order by id limit 1")
                .params(tenantId, number).query(ContactEndpoint::map).optional();
    }

    private Contacts.Contact visible(Caller caller, long id) {
        Contacts.Contact c = jdbc.sql("select " + COLUMNS + " from contact where id = ?").param(id).query(ContactEndpoint::map)
                .optional().orElseThrow(() -> RpcException.notFound("contact", id));
        if (!caller.canSee(c.tenantId())) {
            throw RpcException.notFound("contact", id);
        }
        return c;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s.strip();
    }

    static Contacts.Contact map(ResultSet rs, int n) throws SQLException {
        return new Contacts.Contact(rs.getLong("id"), rs.getLong("tenant_id"), rs.getString("name"), rs.getString("number"),
                rs.getString("email"), rs.getString("company"), rs.getString("note"),
                Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"));
    }
}

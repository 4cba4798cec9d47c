package org.callibry.server.directory.internal;

import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.callibry.server.api.Caller;
import org.callibry.server.api.RpcException;
import org.callibry.server.api.RpcMethod;
import org.callibry.server.directory.Holidays;
import org.callibry.server.storage.Sql;
import org.callibry.shared.api.Role;
import org.callibry.shared.api.dto.IdParams;
import org.callibry.shared.api.dto.Page;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * {@code holiday.*}: each tenant's holiday calendar ({@code tenant_holiday}), one named date per day.
 * Admins work on any tenant, supervisors and customers on their own; operators may read their own.
 */
@Component
class HolidayEndpoint implements Holidays {
    private static final String COLUMNS = "id, tenant_id, day, name";
    private static final Map<String, String> UNIQUE = Map.of("tenant_holiday_day_uq", "date");

    private final JdbcClient jdbc;

    HolidayEndpoint(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<String> holiday(long tenantId, LocalDate date) {
        return jdbc.sql("select name from tenant_holiday where tenant_id = ? and day = ?").params(tenantId, Date.valueOf(date))
                .query(String.class).optional();
    }

    @RpcMethod(value = "holiday.list", roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER, Role.OPERATOR},
            summary = "A tenant's holidays in date order (optionally of one year)")
    Page<org.callibry.shared.api.dto.Holidays.Holiday> list(Caller caller, org.callibry.shared.api.dto.Holidays.ListParams p) {
        Long tenant = caller.scopeTenant(p.tenantId(), "tenantId");
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from tenant_holiday where true");
        List<Object> params = new java.util.ArrayList<>();
        if (tenant != null) {
            sql.append(" and tenant_id = ?");
            params.add(tenant);
        }
        if (p.year() != null) {
            sql.append(" and day >= ? and day < ?");
            params.add(Date.valueOf(LocalDate.of(p.year(), 1, 1)));
            params.add(Date.valueOf(LocalDate.of(p.year() + 1, 1, 1)));
        }
        List<org.callibry.shared.api.dto.Holidays.Holiday> all = jdbc.sql(sql + " order by day, tenant_id").params(params)
                .query(HolidayEndpoint::map).list();
        return new Page<>(all, all.size(), 0, all.size());
    }

    @RpcMethod(value = "holiday.get", roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER, Role.OPERATOR}, summary = "One holiday")
    org.callibry.shared.api.dto.Holidays.Holiday get(Caller caller, IdParams p) {
        return visible(caller, p.id());
    }

    @RpcMethod(value = "holiday.create", roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER},
            summary = "Add a holiday (one per date and tenant)")
    org.callibry.shared.api.dto.Holidays.Holiday create(Caller caller, org.callibry.shared.api.dto.Holidays.Create p) {
        Long tenant = caller.scopeTenant(p.tenantId(), "tenantId");
        if (tenant == null) {
            throw RpcException.invalid("tenantId", "must not be null");
        }
        try {
            return jdbc.sql("insert into tenant_holiday (tenant_id, day, name) values (?, ?, ?) returning " + COLUMNS)
                    .params(tenant, Date.valueOf(p.date()), p.name().strip()).query(HolidayEndpoint::map).single();
        } catch (DataIntegrityViolationException e) {
            throw Sql.conflict(e, UNIQUE);
        }
    }

    @RpcMethod(value = "holiday.update", roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER}, summary = "Change a holiday's date or name")
    org.callibry.shared.api.dto.Holidays.Holiday update(Caller caller, org.callibry.shared.api.dto.Holidays.Update p) {
        visible(caller, p.id());
        try {
            return jdbc.sql("update tenant_holiday set day = coalesce(?, day), name = coalesce(?, name) where id = ? returning " + COLUMNS)
                    .params(p.date() == null ? null : Date.valueOf(p.date()), p.name() == null ? null : p.name().strip(), p.id())
                    .query(HolidayEndpoint::map).single();
        } catch (DataIntegrityViolationException e) {
            throw Sql.conflict(e, UNIQUE);
        }
    }

    @RpcMethod(value = "holiday.delete", roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER}, summary = "Remove a holiday")
    void delete(Caller caller, IdParams p) {
        visible(caller, p.id());
        jdbc.sql("delete from tenant_holiday where id = ?").param(p.id()).update();
    }

    private org.callibry.shared.api.dto.Holidays.Holiday visible(Caller caller, long id) {
        org.callibry.shared.api.dto.Holidays.Holiday h = jdbc.sql("select " + COLUMNS + " from tenant_holiday where id = ?").param(id)
                .query(HolidayEndpoint::map).optional().orElse(null);
        if (h == null || !caller.canSee(h.tenantId())) {
            throw RpcException.notFound("holiday", id);
        }
        return h;
    }

    private static org.callibry.shared.api.dto.Holidays.Holiday map(ResultSet rs, int n) throws SQLException {
        return new org.callibry.shared.api.dto.Holidays.Holiday(rs.getLong("id"), rs.getLong("tenant_id"),
                rs.getDate("day").toLocalDate(), rs.getString("name"));
    }
}

package org.callibry.server.routing.internal;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.callibry.server.api.Caller;
import org.callibry.server.api.RpcException;
import org.callibry.server.api.RpcMethod;
import org.callibry.server.routing.RouteChanged;
import org.callibry.server.routing.RouteQuery;
import org.callibry.shared.api.Role;
import org.callibry.shared.api.dto.IdParams;
import org.callibry.shared.api.dto.Page;
import org.callibry.shared.api.dto.Routes;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code route.*}: the call routing table. Every change is checked by {@link RouteCompiler} before it
 * is saved, and the {@link RouteTable} snapshot is rebuilt before the call returns, so the next
 * routing decision already uses it. Routes belong to no tenant: only unbound admins change them,
 * and only unbound admins and supervisors read them.
 */
@Component
class RouteEndpoint {
    private final RouteStore store;
    private final RouteTable table;
    private final TransactionTemplate tx;
    private final Validator validator;
    private final ApplicationEventPublisher events;
    private final org.springframework.beans.factory.ObjectProvider<org.callibry.server.routing.ServiceCatalog> catalogs;

    RouteEndpoint(RouteStore store, RouteTable table, TransactionTemplate tx, Validator validator,
                  ApplicationEventPublisher events,
                  org.springframework.beans.factory.ObjectProvider<org.callibry.server.routing.ServiceCatalog> catalogs) {
        this.catalogs = catalogs;
        this.store = store;
        this.table = table;
        this.tx = tx;
        this.validator = validator;
        this.events = events;
    }

    @RpcMethod(value = "route.list", roles = {Role.ADMIN, Role.SUPERVISOR},
            summary = "Routes in evaluation order (priority, then id), paged; query matches name, group, masks, destination")
    Page<Routes.Route> list(Caller caller, Routes.ListParams params) {
        unbound(caller);
        return store.page(params);
    }

    @RpcMethod(value = "route.get", roles = {Role.ADMIN, Role.SUPERVISOR}, summary = "One route")
    Routes.Route get(Caller caller, IdParams params) {
        unbound(caller);
        return store.get(params.id());
    }

    @RpcMethod(value = "route.create", roles = Role.ADMIN,
            summary = "Add a route; masks and rewrites are checked, priority defaults to after the last route")
    Routes.Route create(Caller caller, Routes.Create params) {
        unbound(caller);
        Routes.Route created = save(draft(params, params.priority() == null ? store.nextPriority() : params.priority()));
        changed(created.id(), "created");
        return created;
    }

    @RpcMethod(value = "route.update", roles = Role.ADMIN,
            summary = "Change a route (null fields keep their value; empty strings clear masks, rewrites and times)")
    Routes.Route update(Caller caller, Routes.Update params) {
        unbound(caller);
        Routes.Route old = store.get(params.id());
        Routes.Route merged = merge(old, params);
        check(merged);
        Routes.Route updated = store.update(merged);
        changed(updated.id(), "updated");
        return updated;
    }

    @RpcMethod(value = "route.delete", roles = Role.ADMIN, summary = "Delete a route")
    void delete(Caller caller, IdParams params) {
        unbound(caller);
        if (!store.delete(params.id())) {
            throw RpcException.notFound("route", params.id());
        }
        changed(params.id(), "deleted");
    }

    @RpcMethod(value = "route.reorder", roles = Role.ADMIN,
            summary = "Renumber routes: the listed ids get priorities 10, 20, 30, ... in that order; the others follow in their order")
    void reorder(Caller caller, Routes.Reorder params) {
        unbound(caller);
        tx.executeWithoutResult(s -> {
            List<Routes.Route> all = store.all();
            Map<Long, Routes.Route> byId = new LinkedHashMap<>();
            all.forEach(r -> byId.put(r.id(), r));
            List<Long> order = new ArrayList<>();
            Set<Long> seen = new HashSet<>();
            for (int i = 0; i < params.ids().size(); i++) {
                long id = params.ids().get(i);
                if (!byId.containsKey(id)) {
                    throw RpcException.invalid("ids[" + i + "]", "route " + id + " does not exist");
                }
                if (!seen.add(id)) {
                    throw RpcException.invalid("ids[" + i + "]", "route " + id + " is listed twice");
                }
                order.add(id);
            }
            all.stream().map(Routes.Route::id).filter(id -> !seen.contains(id)).forEach(order::add);
            for (int i = 0; i < order.size(); i++) {
                store.setPriority(order.get(i), (i + 1) * 10);
            }
        });
        changed(0, "reordered");
    }

    @RpcMethod(value = "route.test", roles = {Role.ADMIN, Role.SUPERVISOR},
            summary = "Route a call without placing it: the targets with rewritten numbers, and why each route before them did not match")
    Routes.TestResult test(Caller caller, Routes.TestCall params) {
        unbound(caller);
        return table.explain(new RouteQuery(params.aNumber(), params.aHost(), params.sourceAddress(), params.bNumber(),
                params.bHost(), params.time()));
    }

    @RpcMethod(value = "route.export", roles = {Role.ADMIN, Role.SUPERVISOR},
            summary = "The whole route table as CSV text (RFC 4180) with a header row of the field names")
    String export(Caller caller) {
        unbound(caller);
        return RouteCsv.write(store.all());
    }

    @RpcMethod(value = "route.import", roles = Role.ADMIN,
            summary = "Load routes from CSV (as route.export writes it), appended or replacing the table; all or nothing")
    Routes.ImportResult importCsv(Caller caller, Routes.Import params) {
        unbound(caller);
        boolean replace = Routes.REPLACE.equals(params.mode());
        List<RouteCsv.Row> rows = RouteCsv.read(params.csv());
        Set<String> names = new HashSet<>();
        List<Routes.Create> checked = new ArrayList<>();
        for (RouteCsv.Row row : rows) {
            try {
                validate(row.route());
                check(draft(row.route(), 0));
            } catch (RpcException e) {
                throw RouteCsv.atLine(e, row.line());
            }
            if (!names.add(row.route().name().strip().toLowerCase(Locale.ROOT))) {
                throw RouteCsv.atLine(RpcException.conflict("name", "'" + row.route().name().strip()
                        + "' is already on an earlier line"), row.line());
            }
            checked.add(row.route());
        }
        Routes.ImportResult result = tx.execute(s -> {
            int deleted = replace ? store.deleteAll() : 0;
            int next = replace ? 10 : store.nextPriority();
            for (int i = 0; i < checked.size(); i++) {
                Routes.Create c = checked.get(i);
                int priority = c.priority() != null ? c.priority() : next;
                next = Math.max(next, priority + 10);
                try {
                    store.insert(draft(c, priority));
                } catch (RpcException e) {
                    throw RouteCsv.atLine(e, rows.get(i).line());
                }
            }
            return new Routes.ImportResult(checked.size(), deleted);
        });
        changed(0, "imported");
        return result;
    }

    /** Validates and inserts a new route (used by {@code route.create} and the demo routes). */
    Routes.Route save(Routes.Route draft) {
        check(draft);
        return store.insert(draft);
    }

    /** Masks and rewrites compile, and a media service named (a queue, ...) exists. */
    private void check(Routes.Route r) {
        CompiledRoute compiled = RouteCompiler.compile(r);
        if (compiled.destination() instanceof org.callibry.server.routing.Destination.MediaService service) {
            catalogs.orderedStream().forEach(c -> c.refuse(service.kind(), service.name()).ifPresent(reason -> {
                throw RpcException.invalid("destination", reason);
            }));
        }
    }

    /** After a committed change: the new snapshot first, then the notification. */
    void changed(long id, String action) {
        table.reload();
        events.publishEvent(new RouteChanged(id, action));
    }

    private static void unbound(Caller caller) {
        if (caller.tenantBound()) {
            throw RpcException.forbidden("role", "routes are system-wide: a user bound to a tenant may not see them");
        }
    }

    /** Jakarta Validation of an imported row, as the API does for params. */
    private void validate(Routes.Create c) {
        Set<ConstraintViolation<Routes.Create>> violations = validator.validate(c);
        if (!violations.isEmpty()) {
            ConstraintViolation<Routes.Create> v = violations.stream()
                    .min(Comparator.comparing((ConstraintViolation<Routes.Create> x) -> x.getPropertyPath().toString()))
                    .orElseThrow();
            throw RpcException.invalid(v.getPropertyPath().toString(), v.getMessage());
        }
    }

    /** A route from create params, defaults applied (id and timestamps unset). */
    static Routes.Route draft(Routes.Create c, int priority) {
        return new Routes.Route(0, c.name() == null ? "" : c.name().strip(), strip(c.group()), priority,
                c.enabled() == null || c.enabled(),
                text(c.aNumberMask()), text(c.aHostMask()), text(c.bNumberMask()), text(c.bHostMask()), text(c.bRewrite()),
                text(c.aRewriteMask()), text(c.aRewrite()), c.destinationType(), strip(c.destination()),
                Boolean.TRUE.equals(c.recordCall()), c.relayMedia() == null || c.relayMedia(),
                limit(c.maxDurationSeconds()), Boolean.TRUE.equals(c.continueOnFailure()), orNull(c.callerId()),
                days(c.days()), orNull(c.timeFrom()), orNull(c.timeTo()), zone(c.timeZone()), null, null);
    }

    /** The route with the update's non-null fields applied. */
    static Routes.Route merge(Routes.Route o, Routes.Update u) {
        return new Routes.Route(o.id(), u.name() == null ? o.name() : u.name().strip(),
                u.group() == null ? o.group() : u.group().strip(),
                u.priority() == null ? o.priority() : u.priority(),
                u.enabled() == null ? o.enabled() : u.enabled(),
                u.aNumberMask() == null ? o.aNumberMask() : u.aNumberMask(),
                u.aHostMask() == null ? o.aHostMask() : u.aHostMask(),
                u.bNumberMask() == null ? o.bNumberMask() : u.bNumberMask(),
                u.bHostMask() == null ? o.bHostMask() : u.bHostMask(),
                u.bRewrite() == null ? o.bRewrite() : u.bRewrite(),
                u.aRewriteMask() == null ? o.aRewriteMask() : u.aRewriteMask(),
                u.aRewrite() == null ? o.aRewrite() : u.aRewrite(),
                u.destinationType() == null ? o.destinationType() : u.destinationType(),
                u.destination() == null ? o.destination() : u.destination().strip(),
                u.recordCall() == null ? o.recordCall() : u.recordCall(),
                u.relayMedia() == null ? o.relayMedia() : u.relayMedia(),
                u.maxDurationSeconds() == null ? o.maxDurationSeconds() : limit(u.maxDurationSeconds()),
                u.continueOnFailure() == null ? o.continueOnFailure() : u.continueOnFailure(),
                u.callerId() == null ? o.callerId() : orNull(u.callerId()),
                u.days() == null ? o.days() : days(u.days()),
                u.timeFrom() == null ? o.timeFrom() : orNull(u.timeFrom()),
                u.timeTo() == null ? o.timeTo() : orNull(u.timeTo()),
                u.timeZone() == null ? o.timeZone() : zone(u.timeZone()),
                o.createdAt(), o.updatedAt());
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }

    private static String strip(String s) {
        return s == null ? "" : s.strip();
    }

    private static String orNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static Integer limit(Integer seconds) {
        return seconds == null || seconds == 0 ? null : seconds;
    }

    private static String zone(String z) {
        return z == null || z.isBlank() ? "UTC" : z.strip();
    }

    private static List<Integer> days(List<Integer> days) {
        return days == null ? List.of() : days.stream().filter(java.util.Objects::nonNull).distinct().sorted().toList();
    }
}

package org.callibry.server.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.callibry.server.api.ApiTestSupport;
import org.callibry.shared.api.ErrorCodes;
import org.callibry.shared.api.Methods;
import org.callibry.shared.api.Role;
import org.callibry.shared.api.client.CallibryClient;
import org.callibry.shared.api.client.RpcErrorException;
import org.callibry.shared.api.dto.Notification;
import org.callibry.shared.api.dto.Routes;
import org.callibry.shared.api.dto.Routes.DestinationType;
import org.callibry.shared.api.dto.Users;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * {@code route.*} against the running server through the typed client. Scenarios: create/get/update/
 * list/delete; a bad regex refused with its position; duplicate names; roles (operators, customers
 * and tenant-bound users refused; supervisors read only); reorder; route.test with rewrites and
 * reasons; CSV export and import round trip; a bad import line refused with nothing changed;
 * {@link CallRouting} decides with a change as soon as the call that made it returns; route.changed
 * pushed; the demo routes.
 *
 * <p>Every test uses B-numbers of its own (a random prefix) so that the routes of other tests never
 * take its calls.
 */
class RouteApiIT extends ApiTestSupport {

    @Autowired
    CallRouting routing;

    /** A B-number prefix no other test uses: 5 followed by six random digits. */
    private static String prefix() {
        return "5" + ThreadLocalRandom.current().nextInt(100_000, 1_000_000);
    }

    private static Routes.Route update(CallibryClient c, long id, Map<String, Object> fields) {
        Map<String, Object> params = new LinkedHashMap<>(fields);
        params.put("id", id);
        return c.call(Methods.crud(Methods.ROUTE, Methods.UPDATE), params, Routes.Route.class);
    }

    private static void assertError(ThrowingCallable call, int code, String field) {
        assertThatThrownBy(call).isInstanceOfSatisfying(RpcErrorException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.field()).isEqualTo(field);
        });
    }

    private static Routes.TestCall call(String a, String b) {
        return new Routes.TestCall(a, "demo.callibry.test", "192.0.2.1", b, "demo.callibry.test", null);
    }

    @Test
    void routeLifecycle() {
        CallibryClient admin = admin();
        String p = prefix();
        String group = unique("grp");
        Routes.Route r = admin.routes().create(new Routes.Create(unique("Long distance"), group, null, null, "^1\\d{3}$", "",
                "^" + p + "(\\d{4})$", "", "+7$1", null, null, DestinationType.GATEWAY, "gw.example.net:5080;transport=tcp",
                true, null, 3600, true, "+74950000000", List.of(5, 1, 3, 1), "09:00", "18:00", "Europe/Moscow"));
        assertThat(r.id()).isPositive();
        assertThat(r.enabled()).isTrue();
        assertThat(r.relayMedia()).isTrue();
        assertThat(r.days()).containsExactly(1, 3, 5);
        assertThat(r.timeFrom()).isEqualTo("09:00");
        assertThat(r.priority()).as("after the last route").isPositive();
        assertThat(r.createdAt()).isNotNull();
        assertThat(admin.routes().get(r.id())).isEqualTo(r);

        Routes.Route changed = update(admin, r.id(), Map.of("enabled", false, "bRewrite", "", "callerId", "", "timeFrom", "",
                "timeTo", "", "maxDurationSeconds", 0));
        assertThat(changed.enabled()).isFalse();
        assertThat(changed.bRewrite()).isEmpty();
        assertThat(changed.callerId()).isNull();
        assertThat(changed.timeFrom()).isNull();
        assertThat(changed.maxDurationSeconds()).isNull();
        assertThat(changed.name()).as("null keeps the value").isEqualTo(r.name());
        assertThat(changed.bNumberMask()).isEqualTo(r.bNumberMask());
        assertThat(changed.destination()).isEqualTo(r.destination());
        assertThat(changed.days()).containsExactly(1, 3, 5);
        assertThat(changed.updatedAt()).isAfterOrEqualTo(r.updatedAt());

        Routes.Route other = admin.routes().create(Routes.Create.of(unique("Echo"), "^" + p + "$", DestinationType.ECHO, null));
        update(admin, other.id(), Map.of("group", group));
        assertThat(admin.routes().list(new Routes.ListParams(null, group.toUpperCase(), null, null, null)).items())
                .extracting(Routes.Route::id).containsExactly(r.id(), other.id());
        assertThat(admin.routes().list(new Routes.ListParams(null, group, false, null, null)).items())
                .extracting(Routes.Route::id).containsExactly(r.id());
        assertThat(admin.routes().list(new Routes.ListParams(p + "(", null, null, null, null)).items())
                .as("query searches the masks").extracting(Routes.Route::id).containsExactly(r.id());
        var firstPage = admin.call(Methods.crud(Methods.ROUTE, Methods.LIST), null, tools.jackson.databind.JsonNode.class);
        assertThat(firstPage.get("offset").asInt()).isZero();
        assertThat(firstPage.get("total").asLong()).isGreaterThanOrEqualTo(2);

        admin.routes().delete(r.id());
        admin.routes().delete(other.id());
        assertError(() -> admin.routes().get(r.id()), ErrorCodes.NOT_FOUND, "id");
        assertError(() -> admin.routes().delete(r.id()), ErrorCodes.NOT_FOUND, "id");
    }

    @Test
    void aBadRegexIsRefusedWithItsPosition() {
        CallibryClient admin = admin();
        assertThatThrownBy(() -> admin.routes().create(Routes.Create.of(unique("bad"), "^8(\\d{10}$", DestinationType.LOCAL, null)))
                .isInstanceOfSatisfying(RpcErrorException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCodes.INVALID_PARAMS);
                    assertThat(e.field()).isEqualTo("bNumberMask");
                    assertThat(e.getMessage()).contains("bNumberMask: Unclosed group near index 10");
                    assertThat(e.data().get("index").asInt()).isEqualTo(10);
                });
        Routes.Route r = admin.routes().create(Routes.Create.of(unique("good"), "^" + prefix() + "$", DestinationType.LOCAL, null));
        assertError(() -> update(admin, r.id(), Map.of("aHostMask", "(x")), ErrorCodes.INVALID_PARAMS, "aHostMask");
        assertError(() -> update(admin, r.id(), Map.of("bRewrite", "$1")), ErrorCodes.INVALID_PARAMS, "bRewrite");
        assertError(() -> update(admin, r.id(), Map.of("destinationType", "GATEWAY", "destination", "gw:99999")),
                ErrorCodes.INVALID_PARAMS, "destination");
        assertError(() -> update(admin, r.id(), Map.of("timeFrom", "25:00")), ErrorCodes.INVALID_PARAMS, "timeFrom");
        assertThat(admin.routes().get(r.id())).as("refused updates change nothing").isEqualTo(r);
        admin.routes().delete(r.id());
    }

    @Test
    void aDuplicateNameIsAConflict() {
        CallibryClient admin = admin();
        String name = unique("Dup");
        Routes.Route r = admin.routes().create(Routes.Create.of(name, "^" + prefix() + "$", DestinationType.LOCAL, null));
        assertError(() -> admin.routes().create(Routes.Create.of(name.toUpperCase(), "", DestinationType.LOCAL, null)),
                ErrorCodes.CONFLICT, "name");
        Routes.Route other = admin.routes().create(Routes.Create.of(unique("Other"), "^" + prefix() + "$", DestinationType.LOCAL, null));
        assertError(() -> update(admin, other.id(), Map.of("name", name.toLowerCase())), ErrorCodes.CONFLICT, "name");
        admin.routes().delete(r.id());
        admin.routes().delete(other.id());
    }

    @Test
    void onlyAdminsChangeRoutesAndOnlyUnboundAdminsAndSupervisorsSeeThem() {
        Fixture f = fixture();
        CallibryClient admin = admin();
        String supervisor = unique("routesup");
        admin.users().create(new Users.Create(supervisor, PASSWORD, Role.SUPERVISOR, null, null, null, null));
        CallibryClient sup = as(supervisor);
        String p = prefix();
        Routes.Route r = admin.routes().create(Routes.Create.of(unique("Seen"), "^" + p + "$", DestinationType.ECHO, null));

        assertThat(sup.routes().get(r.id())).isEqualTo(r);
        assertThat(sup.routes().list(new Routes.ListParams(r.name(), null, null, null, null)).items()).containsExactly(r);
        assertThat(sup.testRoute(call("1001", p)).targets()).extracting(Routes.Target::routeId).containsExactly(r.id());
        assertThat(sup.exportRoutes()).contains(r.name());
        assertError(() -> sup.routes().create(Routes.Create.of(unique("x"), "", DestinationType.LOCAL, null)), ErrorCodes.FORBIDDEN, "role");
        assertError(() -> sup.routes().delete(r.id()), ErrorCodes.FORBIDDEN, "role");
        assertError(() -> sup.reorderRoutes(List.of(r.id())), ErrorCodes.FORBIDDEN, "role");
        assertError(() -> sup.importRoutes("name,destinationType\n", false), ErrorCodes.FORBIDDEN, "role");

        for (String user : List.of(f.operator(), f.customer())) {
            CallibryClient c = as(user);
            assertError(() -> c.routes().list(new Routes.ListParams(null, null, null, null, null)), ErrorCodes.FORBIDDEN, "role");
            assertError(() -> c.routes().get(r.id()), ErrorCodes.FORBIDDEN, "role");
            assertError(() -> c.testRoute(call("1001", p)), ErrorCodes.FORBIDDEN, "role");
            assertError(() -> c.exportRoutes(), ErrorCodes.FORBIDDEN, "role");
            assertError(() -> c.routes().create(Routes.Create.of(unique("x"), "", DestinationType.LOCAL, null)),
                    ErrorCodes.FORBIDDEN, "role");
            assertError(() -> c.routes().delete(r.id()), ErrorCodes.FORBIDDEN, "role");
        }
        // a supervisor bound to a tenant: routes are system-wide
        CallibryClient bound = as(f.supervisor());
        assertError(() -> bound.routes().get(r.id()), ErrorCodes.FORBIDDEN, "role");
        assertError(() -> anonymous().routes().get(r.id()), ErrorCodes.UNAUTHENTICATED, null);
        admin.routes().delete(r.id());
    }

    @Test
    void reorderNumbersTheListedRoutesFirst() {
        CallibryClient admin = admin();
        String p = prefix();
        Routes.Route a = admin.routes().create(Routes.Create.of(unique("A"), "^" + p + "1$", DestinationType.LOCAL, null));
        Routes.Route b = admin.routes().create(Routes.Create.of(unique("B"), "^" + p + "2$", DestinationType.LOCAL, null));
        Routes.Route c = admin.routes().create(Routes.Create.of(unique("C"), "^" + p + "3$", DestinationType.LOCAL, null));
        admin.reorderRoutes(List.of(c.id(), a.id()));
        List<Routes.Route> all = admin.routes().list(new Routes.ListParams(null, null, null, 0, 500)).items();
        assertThat(all).extracting(Routes.Route::priority)
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, all.size()).map(i -> i * 10).boxed().toList());
        assertThat(all.subList(0, 2)).extracting(Routes.Route::id).containsExactly(c.id(), a.id());
        assertThat(all).extracting(Routes.Route::id).filteredOn(id -> id == b.id()).hasSize(1);
        assertError(() -> admin.reorderRoutes(List.of(a.id(), a.id())), ErrorCodes.INVALID_PARAMS, "ids[1]");
        assertError(() -> admin.reorderRoutes(List.of(999_999_999L)), ErrorCodes.INVALID_PARAMS, "ids[0]");
        for (Routes.Route r : List.of(a, b, c)) {
            admin.routes().delete(r.id());
        }
    }

    @Test
    void routeTestShowsRewrittenTargetsAndWhyEarlierRoutesDidNotMatch() {
        CallibryClient admin = admin();
        String p = prefix();
        String mask = "^" + p + "(\\d{4})$";
        Routes.Route off = admin.routes().create(new Routes.Create(unique("off"), null, null, false, null, null, mask, null, null,
                null, null, DestinationType.LOCAL, null, null, null, null, null, null, null, null, null, null));
        Routes.Route vip = admin.routes().create(new Routes.Create(unique("vip"), null, null, null, "^1999$", null, mask, null, null,
                null, null, DestinationType.LOCAL, null, null, null, null, null, null, null, null, null, null));
        Routes.Route night = admin.routes().create(new Routes.Create(unique("night"), null, null, null, null, null, mask, null, null,
                null, null, DestinationType.VOICEMAIL, "night", null, null, null, null, null, null, "22:00", "06:00", "UTC"));
        Routes.Route primary = admin.routes().create(new Routes.Create(unique("primary"), null, null, null, null, null, mask, null,
                "+1$1", null, null, DestinationType.GATEWAY, "10.0.0.1:5080", null, null, null, true, null, null, null, null, null));
        Routes.Route backup = admin.routes().create(new Routes.Create(unique("backup"), null, null, null, null, null, mask, null,
                null, null, null, DestinationType.GATEWAY, "10.0.0.2", null, null, null, null, null, null, null, null, null));

        Instant noon = Instant.parse("2026-11-25T12:00:00Z");
        Routes.TestResult result = admin.testRoute(new Routes.TestCall("1001", "demo.callibry.test", "192.0.2.1", p + "1234", null, noon));
        assertThat(result.time()).isEqualTo(noon);
        assertThat(result.targets()).extracting(Routes.Target::routeId).containsExactly(primary.id(), backup.id());
        assertThat(result.targets()).extracting(Routes.Target::bNumber).containsExactly("+11234", p + "1234");
        assertThat(result.targets().getFirst().destination()).isEqualTo("10.0.0.1:5080");
        Map<Long, String> reasons = new LinkedHashMap<>();
        result.skipped().forEach(s -> reasons.put(s.routeId(), s.reason()));
        assertThat(reasons).containsEntry(off.id(), "disabled")
                .containsEntry(vip.id(), "aNumberMask ^1999$ does not match 1001")
                .containsEntry(night.id(), "outside its hours (22:00-06:00 UTC; it is Wed 12:00 there)");
        assertThat(reasons.values()).as("every route before the match has a reason").doesNotContainNull();

        Routes.TestResult atNight = admin.testRoute(new Routes.TestCall("1001", null, null, p + "1234", null,
                Instant.parse("2026-11-25T23:00:00Z")));
        assertThat(atNight.targets()).extracting(Routes.Target::routeId).containsExactly(night.id());
        assertThat(admin.testRoute(call("1001", p + "12345")).targets()).isEmpty();
        for (Routes.Route r : List.of(off, vip, night, primary, backup)) {
            admin.routes().delete(r.id());
        }
    }

    @Test
    void decideUsesAChangeAsSoonAsTheCallReturns() {
        CallibryClient admin = admin();
        String p = prefix();
        RouteQuery q = new RouteQuery("1001", "demo.callibry.test", "127.0.0.1", p, "demo.callibry.test", null);
        assertThat(routing.decide(q).routable()).isFalse();
        Routes.Route r = admin.routes().create(Routes.Create.of(unique("live"), "^" + p + "$", DestinationType.LOCAL, null));
        assertThat(routing.decide(q).targets()).extracting(RouteTarget::routeId).containsExactly(r.id());
        assertThat(routing.decide(q).targets().getFirst().destination()).isEqualTo(new Destination.LocalAccount());

        update(admin, r.id(), Map.of("destinationType", "GATEWAY", "destination", "10.9.8.7:5070", "bRewrite", "00$0"));
        RouteTarget t = routing.decide(q).targets().getFirst();
        assertThat(t.destination()).isEqualTo(new Destination.Gateway("10.9.8.7", 5070, null));
        assertThat(t.bNumber()).isEqualTo("00" + p);

        update(admin, r.id(), Map.of("enabled", false));
        assertThat(routing.decide(q).routable()).isFalse();
        update(admin, r.id(), Map.of("enabled", true));
        admin.routes().delete(r.id());
        assertThat(routing.decide(q).routable()).isFalse();
    }

    @Test
    void exportThenImportGivesTheSameTable() {
        CallibryClient admin = admin();
        String p = prefix();
        Routes.Route tricky = admin.routes().create(new Routes.Create(unique("Quotes \"and\", commas"), "CSV", null, null, "^1\\d{3}$",
                "^(a|b)\\.example$", "^" + p + "(\\d*)$", "", "+7$1", "^(\\d+)$", "+7495$1", DestinationType.GATEWAY,
                "[2001:db8::1]:5061;transport=tls", true, false, 120, true, "+70000000000", List.of(6, 7), "22:00", "06:00",
                "Asia/Tokyo"));
        String before = admin.exportRoutes();
        List<Routes.Route> routesBefore = admin.routes().list(new Routes.ListParams(null, null, null, 0, 500)).items();
        assertThat(before.lines().count()).isEqualTo(routesBefore.size() + 1);
        assertThat(before).startsWith("id,name,group,priority,enabled,aNumberMask,aHostMask,bNumberMask,bHostMask,bRewrite,"
                + "aRewriteMask,aRewrite,destinationType,destination,recordCall,relayMedia,maxDurationSeconds,continueOnFailure,"
                + "callerId,days,timeFrom,timeTo,timeZone,createdAt,updatedAt\r\n");

        Routes.ImportResult result = admin.importRoutes(before, true);
        assertThat(result.imported()).isEqualTo(routesBefore.size());
        assertThat(result.deleted()).isEqualTo(routesBefore.size());
        List<Routes.Route> routesAfter = admin.routes().list(new Routes.ListParams(null, null, null, 0, 500)).items();
        assertThat(routesAfter).extracting(RouteApiIT::content).containsExactlyElementsOf(routesBefore.stream().map(RouteApiIT::content).toList());
        assertThat(withoutIdentity(admin.exportRoutes())).isEqualTo(withoutIdentity(before));

        Routes.Route again = routesAfter.stream().filter(r -> r.name().equals(tricky.name())).findFirst().orElseThrow();
        assertThat(again.id()).isNotEqualTo(tricky.id());
        RouteTarget t = routing.decide(new RouteQuery("1001", "a.example", "192.0.2.1", p + "42", "x",
                Instant.parse("2026-11-28T14:00:00Z"))).targets().getFirst();
        assertThat(t.routeId()).isEqualTo(again.id());
        assertThat(t.bNumber()).isEqualTo("+742");
        assertThat(t.aNumber()).isEqualTo("+74951001");
        admin.routes().delete(again.id());
    }

    @Test
    void anImportWithABadLineChangesNothing() {
        CallibryClient admin = admin();
        String before = admin.exportRoutes();
        String p = prefix();
        String csv = "name,destinationType,bNumberMask,destination\r\n"
                + unique("fine") + ",LOCAL,^" + p + "1$,\r\n"
                + unique("broken") + ",GATEWAY,\"^" + p + "(\\d{4}$\",gw.example.net\r\n";
        for (boolean replace : List.of(false, true)) {
            assertThatThrownBy(() -> admin.importRoutes(csv, replace)).isInstanceOfSatisfying(RpcErrorException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCodes.INVALID_PARAMS);
                assertThat(e.field()).isEqualTo("bNumberMask");
                assertThat(e.data().get("line").asInt()).isEqualTo(3);
                assertThat(e.getMessage()).contains("line 3: bNumberMask: Unclosed group near index");
            });
        }
        String duplicate = "name,destinationType\nsame-" + p + ",LOCAL\nSAME-" + p + ",ECHO\n";
        assertThatThrownBy(() -> admin.importRoutes(duplicate, false)).isInstanceOfSatisfying(RpcErrorException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCodes.CONFLICT);
            assertThat(e.data().get("line").asInt()).isEqualTo(3);
        });
        // a name already in the table is found by the database, inside the import's transaction
        String existing = admin.routes().list(new Routes.ListParams(null, null, null, 0, 1)).items().getFirst().name();
        String clash = "name,destinationType\nnew-" + p + ",LOCAL\n\"" + existing.replace("\"", "\"\"") + "\",LOCAL\n";
        assertThatThrownBy(() -> admin.importRoutes(clash, false)).isInstanceOfSatisfying(RpcErrorException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCodes.CONFLICT);
            assertThat(e.field()).isEqualTo("name");
            assertThat(e.data().get("line").asInt()).isEqualTo(3);
        });
        assertThat(admin.exportRoutes()).isEqualTo(before);
        assertThat(routing.decide(new RouteQuery("1", null, null, p + "1", null, null)).routable()).isFalse();
    }

    @Test
    void anImportAppendsAfterTheLastRoute() {
        CallibryClient admin = admin();
        String p = prefix();
        String a = unique("imp-a");
        String b = unique("imp-b");
        Routes.ImportResult r = admin.importRoutes("name,bNumberMask,destinationType,destination,continueOnFailure\n"
                + a + ",^" + p + "$,GATEWAY,10.0.0.1,true\n" + b + ",^" + p + "$,GATEWAY,10.0.0.2,\n", false);
        assertThat(r).isEqualTo(new Routes.ImportResult(2, 0));
        assertThat(routing.decide(new RouteQuery("1", null, null, p, null, null)).targets())
                .extracting(RouteTarget::routeName).containsExactly(a, b);
        for (String name : List.of(a, b)) {
            admin.routes().delete(admin.routes().list(new Routes.ListParams(name, null, null, null, null)).items().getFirst().id());
        }
    }

    @Test
    void changesArePushedAsRouteChanged() throws Exception {
        BlockingQueue<Notification> seen = new LinkedBlockingQueue<>();
        CallibryClient admin = admin();
        try (var s = admin.subscribe(seen::add)) {
            Routes.Route r = admin.routes().create(Routes.Create.of(unique("pushed"), "^" + prefix() + "$", DestinationType.LOCAL, null));
            Notification n = next(seen);
            assertThat(n.params().get("id").asLong()).isEqualTo(r.id());
            assertThat(n.params().get("family").asString()).isEqualTo("route");
            assertThat(n.params().get("action").asString()).isEqualTo("created");
            admin.routes().delete(r.id());
            assertThat(next(seen).params().get("action").asString()).isEqualTo("deleted");
        }
    }

    @Test
    void demoRoutesAreSeeded() {
        CallibryClient admin = admin();
        Routes.TestResult longDistance = admin.testRoute(call("1001", "84951234567"));
        assertThat(longDistance.targets()).extracting(Routes.Target::destination)
                .containsExactly("127.0.0.1:5080", "127.0.0.1:5081;transport=udp");
        assertThat(longDistance.targets()).extracting(Routes.Target::bNumber).containsOnly("+74951234567");
        assertThat(admin.testRoute(call("1001", "600")).targets().getFirst().destinationType()).isEqualTo(DestinationType.ECHO);
        assertThat(admin.testRoute(call("1001", "601")).targets().getFirst().destinationType())
                .isEqualTo(DestinationType.MUSIC_ON_HOLD);
        assertThat(admin.testRoute(call("1001", "1002")).targets().getFirst().destinationType()).isEqualTo(DestinationType.LOCAL);
        assertThat(admin.testRoute(new Routes.TestCall("+79161234567", "carrier", "127.0.0.1", "+74951234567", "x", null))
                .targets().getFirst().bNumber()).isEqualTo("1001");
        assertThat(admin.testRoute(call("9999", "84951234567")).targets()).as("only extensions call long distance").isEmpty();
    }

    private static Notification next(BlockingQueue<Notification> q) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Notification n = q.poll(100, TimeUnit.MILLISECONDS);
            if (n != null && n.method().equals("route.changed")) {
                return n;
            }
        }
        throw new AssertionError("no route.changed notification within 10 s");
    }

    /** A route without its id and timestamps: what an import reproduces. */
    private static List<Object> content(Routes.Route r) {
        return List.of(r.name(), r.group(), r.priority(), r.enabled(), r.aNumberMask(), r.aHostMask(), r.bNumberMask(),
                r.bHostMask(), r.bRewrite(), r.aRewriteMask(), r.aRewrite(), r.destinationType(), r.destination(),
                r.recordCall(), r.relayMedia(), String.valueOf(r.maxDurationSeconds()), r.continueOnFailure(),
                String.valueOf(r.callerId()), r.days(), String.valueOf(r.timeFrom()), String.valueOf(r.timeTo()), r.timeZone());
    }

    /** CSV lines without the id, createdAt and updatedAt columns (the first and the last two). */
    private static List<String> withoutIdentity(String csv) {
        return csv.lines().map(l -> l.substring(l.indexOf(',') + 1)).map(l -> l.replaceAll(",[^,]*,[^,]*$", "")).toList();
    }
}

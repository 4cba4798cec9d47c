package org.callibry.server.ivr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.callibry.server.api.ApiTestSupport;
import org.callibry.shared.api.ErrorCodes;
import org.callibry.shared.api.Methods;
import org.callibry.shared.api.client.CallibryClient;
import org.callibry.shared.api.client.RpcErrorException;
import org.callibry.shared.api.dto.Contacts;
import org.callibry.shared.api.dto.Holidays;
import org.callibry.shared.api.dto.Ivrs;
import org.callibry.shared.api.dto.Queues;
import org.callibry.shared.api.dto.Tenants;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The IVR API on a real server and database: roles and tenants; a document with errors refused with
 * every error naming node and field; versions on every save; numbers unique per tenant and not a
 * queue's; routes naming a scenario by id; {@code ivr.validate} and {@code ivr.simulate} (with the
 * tenant's time zone and holiday calendar, {@code holiday.*}).
 */
class IvrApiIT extends ApiTestSupport {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final String HOURS = """
            {"start": "t", "nodes": [
              {"id": "t", "type": "time", "hours": [{"days": ["MON", "TUE", "WED", "THU", "FRI"], "from": "09:00", "to": "18:00"}],
               "open": "menu", "closed": "closed", "holiday": "holiday"},
              {"id": "menu", "type": "menu", "prompt": ["demo-welcome"], "options": {"1": "lookup"}, "invalid": "bye"},
              {"id": "lookup", "type": "http", "url": "https://crm.example/b?n=${caller}", "assign": {"sum": "sum"},
               "next": "say", "error": "bye"},
              {"id": "say", "type": "say", "kind": "money", "value": "${sum}", "next": "bye"},
              {"id": "closed", "type": "play", "audio": ["demo-closed"], "next": "bye"},
              {"id": "holiday", "type": "play", "audio": ["demo-holiday"], "next": "bye"},
              {"id": "bye", "type": "hangup"}]}""";

    private static JsonNode json(String s) {
        return JSON.readTree(s);
    }

    @Test
    void customersManageTheirScenariosAsVersions() {
        Fixture mine = fixture();
        Fixture other = fixture();
        CallibryClient customer = as(mine.customer());
        Ivrs.Ivr created = customer.ivrs().create(new Ivrs.Create(null, "Hours", "700", json(HOURS)));
        assertThat(created.tenantId()).isEqualTo(mine.tenant().id());
        assertThat(created.version()).isEqualTo(1);
        assertThat(created.scenario().get("start").asString()).isEqualTo("t");

        CallibryClient supervisor = as(mine.supervisor());
        Ivrs.Ivr renamed = supervisor.ivrs().update(new Ivrs.Update(created.id(), "Business hours", "701", null, null));
        assertThat(renamed.version()).isEqualTo(2);
        assertThat(renamed.number()).isEqualTo("701");
        Ivrs.Ivr cleared = supervisor.ivrs().update(new Ivrs.Update(created.id(), null, null, true, null));
        assertThat(cleared.number()).isNull();
        assertThat(cleared.version()).isEqualTo(3);
        List<Ivrs.Version> versions = supervisor.call(Methods.IVR_VERSIONS, new Ivrs.VersionsParams(created.id()),
                supervisor.listOf(Ivrs.Version.class));
        assertThat(versions).extracting(Ivrs.Version::version).containsExactly(3, 2, 1);
        assertThat(versions).extracting(Ivrs.Version::number).containsExactly(null, "701", "700");
        assertThat(versions.getLast().savedBy()).isEqualTo(mine.customer());

        CallibryClient stranger = as(other.customer());
        assertThat(stranger.ivrs().list(new Ivrs.ListParams(null)).items()).isEmpty();
        assertThatThrownBy(() -> stranger.ivrs().get(created.id())).isInstanceOf(RpcErrorException.class)
                .extracting(e -> ((RpcErrorException) e).code()).isEqualTo(ErrorCodes.NOT_FOUND);
        assertThatThrownBy(() -> as(mine.operator()).ivrs().list(new Ivrs.ListParams(null))).isInstanceOf(RpcErrorException.class)
                .extracting(e -> ((RpcErrorException) e).code()).isEqualTo(ErrorCodes.FORBIDDEN);
        assertThat(admin().ivrs().list(new Ivrs.ListParams(mine.tenant().id())).items()).extracting(Ivrs.Ivr::id)
                .containsExactly(created.id());
        customer.ivrs().delete(created.id());
        assertThat(customer.ivrs().list(new Ivrs.ListParams(null)).items()).isEmpty();
    }

    @Test
    void aDocumentWithErrorsIsRefusedWithEveryErrorNamed() {
        Fixture f = fixture();
        CallibryClient customer = as(f.customer());
        String bad = HOURS.replace("\"to\": \"18:00\"", "\"to\": \"25:00\"").replace("\"next\": \"say\"", "\"next\": \"ghost\"");
        assertThatThrownBy(() -> customer.ivrs().create(new Ivrs.Create(null, "Bad", null, json(bad))))
                .isInstanceOf(RpcErrorException.class)
                .hasMessageContaining("node 't' field 'hours[0].to'")
                .hasMessageContaining("(and 2 more)")
                .satisfies(e -> {
                    RpcErrorException r = (RpcErrorException) e;
                    assertThat(r.code()).isEqualTo(ErrorCodes.INVALID_PARAMS);
                    JsonNode errors = r.data().get("errors");
                    assertThat(errors).hasSize(3);
                    assertThat(errors.get(1).get("node").asString()).isEqualTo("lookup");
                    assertThat(errors.get(1).get("field").asString()).isEqualTo("next");
                    assertThat(errors.get(2).get("node").asString()).isEqualTo("say");
                    assertThat(errors.get(2).get("message").asString()).contains("not reachable");
                });
        Ivrs.Validation v = customer.validateIvr(new Ivrs.ValidateParams(null, json(bad)));
        assertThat(v.valid()).isFalse();
        assertThat(v.errors()).extracting(Ivrs.Problem::node).containsExactly("t", "lookup", "say");
        Queues.Queue queue = customer.queues().create(Queues.Create.of(null, "500", "Support", null, List.of()));
        String toQueue = """
                {"start": "q", "nodes": [{"id": "q", "type": "queue", "queue": %d, "error": "x"}, {"id": "x", "type": "hangup"}]}""";
        assertThat(customer.validateIvr(new Ivrs.ValidateParams(null, json(toQueue.formatted(queue.id())))).valid()).isTrue();
        Ivrs.Validation foreign = as(fixture().customer()).validateIvr(new Ivrs.ValidateParams(null, json(toQueue.formatted(queue.id()))));
        assertThat(foreign.errors()).containsExactly(new Ivrs.Problem("q", "queue", "queue " + queue.id()
                + " is not a queue of the tenant"));
        assertThatThrownBy(() -> customer.ivrs().create(new Ivrs.Create(null, "Twin", "500", json(toQueue.formatted(queue.id())))))
                .hasMessageContaining("number").hasMessageContaining("queue");
        customer.ivrs().create(new Ivrs.Create(null, "First", "600", json(toQueue.formatted(queue.id()))));
        assertThatThrownBy(() -> customer.ivrs().create(new Ivrs.Create(null, "Second", "600", json(toQueue.formatted(queue.id())))))
                .isInstanceOf(RpcErrorException.class).extracting(e -> ((RpcErrorException) e).code()).isEqualTo(ErrorCodes.CONFLICT);
    }

    @Test
    void routesNameAScenarioById() {
        Fixture f = fixture();
        Ivrs.Ivr ivr = as(f.customer()).ivrs().create(new Ivrs.Create(null, "Routed", null, json(HOURS)));
        CallibryClient admin = admin();
        Map<String, Object> route = new LinkedHashMap<>();
        route.put("name", unique("to-ivr"));
        route.put("bNumberMask", "^" + (100_000 + (int) (Math.random() * 800_000)) + "$");
        route.put("destinationType", "IVR");
        route.put("destination", "987654321");
        assertThatThrownBy(() -> admin.call("route.create", route, JsonNode.class)).hasMessageContaining("IVR scenario 987654321 does not exist");
        route.put("destination", "support");
        assertThatThrownBy(() -> admin.call("route.create", route, JsonNode.class)).hasMessageContaining("by its id");
        route.put("destination", Long.toString(ivr.id()));
        assertThat(admin.call("route.create", route, JsonNode.class).get("destination").asString()).isEqualTo(Long.toString(ivr.id()));
    }

    @Test
    void simulationWalksHoursHolidaysAndLookups() {
        Fixture f = fixture();
        admin().tenants().update(new Tenants.Update(f.tenant().id(), null, null, null, "Europe/Moscow"));
        CallibryClient customer = as(f.customer());
        Ivrs.Ivr ivr = customer.ivrs().create(new Ivrs.Create(null, "Hours", null, json(HOURS)));
        Instant wednesday10 = Instant.parse("2025-03-05T07:00:00Z");
        Ivrs.Trace open = customer.simulateIvr(new Ivrs.SimulateParams(ivr.id(), "1",
                Map.of("lookup", json("{\"body\": {\"sum\": \"2.02\"}, \"millis\": 40}")), "2001", wednesday10, null));
        assertThat(open.path()).containsExactly("t", "menu", "lookup", "say", "bye");
        assertThat(open.played()).containsExactly("demo-welcome", "two rubles and two kopecks");
        assertThat(open.http()).containsExactly(new Ivrs.HttpCall("lookup", "GET", "https://crm.example/b?n=2001", 200, 40, "ok"));
        assertThat(open.end()).isEqualTo("hangup");

        Ivrs.Trace evening = customer.simulateIvr(new Ivrs.SimulateParams(ivr.id(), "", null, null,
                Instant.parse("2025-03-05T15:30:00Z"), null));
        assertThat(evening.path()).as("18:30 in Moscow").containsExactly("t", "closed", "bye");

        Holidays.Holiday h = customer.holidays().create(new Holidays.Create(null, LocalDate.of(2025, 3, 5), "Test holiday"));
        assertThat(h.tenantId()).isEqualTo(f.tenant().id());
        assertThat(customer.holidays().list(new Holidays.ListParams(null, 2025)).items()).extracting(Holidays.Holiday::name)
                .containsExactly("Test holiday");
        assertThatThrownBy(() -> customer.holidays().create(new Holidays.Create(null, LocalDate.of(2025, 3, 5), "Twice")))
                .hasMessageContaining("date");
        Ivrs.Trace holiday = customer.simulateIvr(new Ivrs.SimulateParams(ivr.id(), "1", null, null, wednesday10, null));
        assertThat(holiday.path()).containsExactly("t", "holiday", "bye");
        assertThat(holiday.variables()).containsEntry("holiday", "Test holiday");
        assertThat(as(fixture().customer()).holidays().list(new Holidays.ListParams(null, null)).items()).isEmpty();
        customer.holidays().delete(h.id());

        Ivrs.Trace failing = customer.simulateIvr(new Ivrs.SimulateParams(ivr.id(), "1",
                Map.of("lookup", json("{\"failure\": \"timeout\"}")), null, wednesday10, null));
        assertThat(failing.path()).containsExactly("t", "menu", "lookup", "bye");
        assertThat(failing.http().getFirst().outcome()).startsWith("timeout");
    }

    @Test
    void aLookupNodeFindsTheCallerAmongTheTenantsContactsOnly() {
        Fixture mine = fixture();
        Fixture other = fixture();
        CallibryClient customer = as(mine.customer());
        customer.contacts().create(new Contacts.Create(null, "Anna Petrova", "2001", null, "Acme", "prefers email"));
        as(other.customer()).contacts().create(new Contacts.Create(null, "Somebody Else", "2002", null, "Other Ltd", null));
        Ivrs.Ivr ivr = customer.ivrs().create(new Ivrs.Create(null, "Greeting", null, json("""
                {"start": "who", "nodes": [
                  {"id": "who", "type": "lookup", "next": "known", "notFound": "stranger"},
                  {"id": "known", "type": "hangup", "reason": "hello ${callerName} of ${callerCompany} (${callerSource})"},
                  {"id": "stranger", "type": "hangup", "reason": "hello stranger"}]}""")));
        Ivrs.Trace known = customer.simulateIvr(new Ivrs.SimulateParams(ivr.id(), "", null, "2001", null, null));
        assertThat(known.path()).containsExactly("who", "known");
        assertThat(known.detail()).isEqualTo("hello Anna Petrova of Acme (contact)");
        Ivrs.Trace otherTenants = customer.simulateIvr(new Ivrs.SimulateParams(ivr.id(), "", null, "2002", null, null));
        assertThat(otherTenants.path()).as("another tenant's contact").containsExactly("who", "stranger");
        assertThat(otherTenants.variables()).containsEntry("callerName", "");
    }

    @Test
    void theSchemaIsInTheApiDescription() {
        JsonNode doc = anonymous().discover();
        JsonNode schema = doc.get("components").get("schemas").get("IvrScenario");
        assertThat(schema).as("the scenario schema in rpc.discover").isNotNull();
        assertThat(schema.get("definitions").get("menu").get("properties").has("options")).isTrue();
        assertThat(schema.toString()).doesNotContain("\"#/definitions/");
    }
}

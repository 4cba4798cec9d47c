package org.callibry.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import org.callibry.shared.api.ErrorCodes;
import org.callibry.shared.api.client.CallibryClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON-RPC 2.0 conformance of {@code POST /api/rpc}: parse errors, invalid requests, unknown methods,
 * notifications, batches (mixed, empty, only notifications), by-position params, invalid params naming
 * the field.
 */
class JsonRpcProtocolIT extends ApiTestSupport {
    private final JsonMapper json = JsonMapper.builder().build();

    private JsonNode post(CallibryClient c, String body) {
        HttpResponse<String> r = c.post(body);
        assertThat(r.statusCode()).isEqualTo(200);
        return json.readTree(r.body());
    }

    @Test
    void malformedJsonIsAParseErrorWithNullId() {
        JsonNode r = post(anonymous(), "{\"jsonrpc\": \"2.0\", \"method\": \"system.version\", \"params\": [1, 2");
        assertThat(r.at("/error/code").asInt()).isEqualTo(ErrorCodes.PARSE_ERROR);
        assertThat(r.get("id").isNull()).isTrue();
    }

    @Test
    void requestsThatAreNotJsonRpcAreInvalid() {
        assertThat(post(anonymous(), "1").at("/error/code").asInt()).isEqualTo(ErrorCodes.INVALID_REQUEST);
        assertThat(post(anonymous(), "{\"method\":\"system.version\",\"id\":1}").at("/error/code").asInt())
                .as("missing jsonrpc").isEqualTo(ErrorCodes.INVALID_REQUEST);
        assertThat(post(anonymous(), "{\"jsonrpc\":\"2.0\",\"method\":1,\"id\":1}").at("/error/code").asInt())
                .as("method not a string").isEqualTo(ErrorCodes.INVALID_REQUEST);
        assertThat(post(anonymous(), "{\"jsonrpc\":\"2.0\",\"method\":\"system.version\",\"params\":\"x\",\"id\":1}")
                .at("/error/code").asInt()).as("params a string").isEqualTo(ErrorCodes.INVALID_REQUEST);
        assertThat(post(anonymous(), "{\"jsonrpc\":\"2.0\",\"method\":\"system.version\",\"id\":{}}")
                .at("/error/code").asInt()).as("id an object").isEqualTo(ErrorCodes.INVALID_REQUEST);
    }

    @Test
    void unknownMethodIsMethodNotFoundAndEchoesTheId() {
        JsonNode r = post(anonymous(), "{\"jsonrpc\":\"2.0\",\"method\":\"no.such\",\"id\":\"abc\"}");
        assertThat(r.at("/error/code").asInt()).isEqualTo(ErrorCodes.METHOD_NOT_FOUND);
        assertThat(r.get("id").asString()).isEqualTo("abc");
    }

    @Test
    void aNotificationGetsNoResponse() {
        HttpResponse<String> r = anonymous().post("{\"jsonrpc\":\"2.0\",\"method\":\"system.version\"}");
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.body()).isEmpty();
    }

    @Test
    void aBatchAnswersEachCallButNotTheNotifications() {
        CallibryClient admin = admin();
        List<JsonNode> responses = admin.batch(List.of(
                new CallibryClient.BatchCall(1, "system.version", null),
                new CallibryClient.BatchCall(null, "system.version", null),
                new CallibryClient.BatchCall(2, "tenant.list", java.util.Map.of()),
                new CallibryClient.BatchCall(3, "no.such", null),
                new CallibryClient.BatchCall(4, "tenant.get", java.util.Map.of("id", "x"))));
        assertThat(responses).hasSize(4);
        assertThat(responses.get(0).at("/result/name").asString()).isEqualTo("Callibry");
        assertThat(responses.get(1).at("/result/total").asLong()).isPositive();
        assertThat(responses.get(2).at("/error/code").asInt()).isEqualTo(ErrorCodes.METHOD_NOT_FOUND);
        assertThat(responses.get(3).at("/error/code").asInt()).isEqualTo(ErrorCodes.INVALID_PARAMS);
        assertThat(responses.get(3).at("/error/data/field").asString()).isEqualTo("id");
    }

    @Test
    void anEmptyBatchIsOneInvalidRequest() {
        JsonNode r = post(anonymous(), "[]");
        assertThat(r.isObject()).isTrue();
        assertThat(r.at("/error/code").asInt()).isEqualTo(ErrorCodes.INVALID_REQUEST);
    }

    @Test
    void aBatchOfInvalidElementsAnswersEachWithAnError() {
        JsonNode r = post(anonymous(), "[1, 2, 3]");
        assertThat(r.size()).isEqualTo(3);
        r.forEach(e -> assertThat(e.at("/error/code").asInt()).isEqualTo(ErrorCodes.INVALID_REQUEST));
    }

    @Test
    void aBatchOfOnlyNotificationsGetsNoResponse() {
        HttpResponse<String> r = anonymous().post("[{\"jsonrpc\":\"2.0\",\"method\":\"system.version\"},"
                + "{\"jsonrpc\":\"2.0\",\"method\":\"system.version\"}]");
        assertThat(r.statusCode()).isEqualTo(204);
    }

    @Test
    void paramsMayComeByPosition() {
        JsonNode r = post(admin(), "{\"jsonrpc\":\"2.0\",\"method\":\"tenant.list\",\"params\":[\"demo\", 0, 10],\"id\":7}");
        assertThat(r.at("/result/limit").asInt()).isEqualTo(10);
        assertThat(r.at("/result/items/0/name").asString()).isEqualTo("Demo");
    }

    @Test
    void invalidParamsNameTheField() {
        CallibryClient admin = admin();
        JsonNode unknown = post(admin, "{\"jsonrpc\":\"2.0\",\"method\":\"tenant.create\",\"params\":{\"name\":\"a\",\"colour\":\"red\"},\"id\":1}");
        assertThat(unknown.at("/error/code").asInt()).isEqualTo(ErrorCodes.INVALID_PARAMS);
        assertThat(unknown.at("/error/data/field").asString()).isEqualTo("colour");

        JsonNode wrongType = post(admin, "{\"jsonrpc\":\"2.0\",\"method\":\"tenant.list\",\"params\":{\"limit\":\"many\"},\"id\":1}");
        assertThat(wrongType.at("/error/data/field").asString()).isEqualTo("limit");

        JsonNode outOfRange = post(admin, "{\"jsonrpc\":\"2.0\",\"method\":\"tenant.list\",\"params\":{\"limit\":100000},\"id\":1}");
        assertThat(outOfRange.at("/error/data/field").asString()).isEqualTo("limit");
        assertThat(outOfRange.at("/error/message").asString()).contains("limit");

        JsonNode badEnum = post(admin, "{\"jsonrpc\":\"2.0\",\"method\":\"user.list\",\"params\":{\"role\":\"BOSS\"},\"id\":1}");
        assertThat(badEnum.at("/error/data/field").asString()).isEqualTo("role");

        JsonNode several = post(admin, "{\"jsonrpc\":\"2.0\",\"method\":\"account.create\",\"params\":{\"number\":\"a b\",\"password\":\"short\"},\"id\":1}");
        assertThat(several.at("/error/data/errors").findValuesAsString("field"))
                .containsExactlyInAnyOrder("domainId", "number", "password");

        JsonNode tooMany = post(admin, "{\"jsonrpc\":\"2.0\",\"method\":\"tenant.get\",\"params\":[1, 2],\"id\":1}");
        assertThat(tooMany.at("/error/code").asInt()).isEqualTo(ErrorCodes.INVALID_PARAMS);
    }

    @Test
    void listMethodsAcceptEmptyParamsAndReturnTheFirstPage() {
        CallibryClient admin = admin();
        for (String method : List.of("tenant.list", "domain.list", "account.list", "user.list", "contact.list", "audio.list")) {
            JsonNode noParams = post(admin, "{\"jsonrpc\":\"2.0\",\"method\":\"" + method + "\",\"id\":1}");
            assertThat(noParams.at("/result/offset").asInt()).as(method).isZero();
            assertThat(noParams.at("/result/limit").asInt()).as(method).isEqualTo(50);
            JsonNode emptyObject = post(admin, "{\"jsonrpc\":\"2.0\",\"method\":\"" + method + "\",\"params\":{},\"id\":1}");
            assertThat(emptyObject.has("result")).as(method).isTrue();
        }
    }

    @Test
    void discoverDescribesEveryMethodWithItsRolesAndParams() {
        JsonNode doc = anonymous().discover();
        assertThat(doc.get("openrpc").asString()).startsWith("1.2");
        List<String> names = doc.get("methods").findValuesAsString("name");
        assertThat(names).contains("rpc.discover", "auth.login", "system.health", "system.version",
                "tenant.create", "domain.update", "account.delete", "user.get", "contact.list", "audio.update");
        for (JsonNode m : doc.get("methods")) {
            assertThat(m.get("x-anonymous").asBoolean() || !m.get("x-roles").isEmpty()).as(m.get("name").asString()).isTrue();
        }
        JsonNode create = null;
        for (JsonNode m : doc.get("methods")) {
            if (m.get("name").asString().equals("account.create")) {
                create = m;
            }
        }
        assertThat(create).isNotNull();
        assertThat(create.get("params").findValuesAsString("name")).containsExactly("domainId", "number", "displayName", "password", "enabled");
        assertThat(create.at("/result/schema/$ref").asString()).isEqualTo("#/components/schemas/Accounts.Account");
        assertThat(doc.at("/components/schemas/Accounts.Account/properties").has("number")).isTrue();
        assertThat(doc.at("/components/schemas/Accounts.Account/properties").has("password")).isFalse();
    }
}

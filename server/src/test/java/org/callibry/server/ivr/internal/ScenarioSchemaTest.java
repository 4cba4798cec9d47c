package org.callibry.server.ivr.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The published JSON Schema ({@code /ivr/scenario.schema.json}) and the model read by the server agree:
 * the same node types, each with exactly the fields its record has, and the schema's examples are valid.
 */
class ScenarioSchemaTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static JsonNode schema() throws Exception {
        try (InputStream in = ScenarioSchemaTest.class.getResourceAsStream("/ivr/scenario.schema.json")) {
            assertThat(in).as("the schema is bundled").isNotNull();
            return JSON.readTree(in);
        }
    }

    @Test
    void everyNodeTypeHasTheFieldsOfItsRecord() throws Exception {
        JsonNode defs = schema().get("definitions");
        List<String> oneOf = new ArrayList<>();
        defs.get("node").get("oneOf").forEach(r -> oneOf.add(r.get("$ref").asString().replace("#/definitions/", "")));
        assertThat(oneOf).containsExactlyElementsOf(Scenario.TYPES);
        JsonSubTypes subtypes = Scenario.Node.class.getAnnotation(JsonSubTypes.class);
        for (JsonSubTypes.Type t : subtypes.value()) {
            JsonNode def = defs.get(t.name());
            assertThat(def).as(t.name()).isNotNull();
            List<String> fields = new ArrayList<>(Arrays.stream(t.value().getRecordComponents()).map(RecordComponent::getName).toList());
            fields.add("type");
            assertThat(def.get("properties").propertyNames()).as("the fields of " + t.name()).containsExactlyInAnyOrderElementsOf(fields);
            assertThat(def.get("properties").get("type").get("const").asString()).isEqualTo(t.name());
            assertThat(def.get("additionalProperties").asBoolean()).isFalse();
        }
    }

    @Test
    void theDocumentHasTheFieldsTheReaderKnows() throws Exception {
        assertThat(schema().get("properties").propertyNames()).containsExactlyInAnyOrder("start", "language", "variables",
                "nodes", "description");
        assertThat(ScenarioValidator.check(JSON.readTree("{\"start\": \"a\", \"description\": \"d\", \"nodes\": "
                + "[{\"id\": \"a\", \"type\": \"hangup\"}]}"), null).validation().valid()).isTrue();
    }
}

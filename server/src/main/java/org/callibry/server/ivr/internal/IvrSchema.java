package org.callibry.server.ivr.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.callibry.server.api.ApiSchemas;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Publishes the scenario's JSON Schema ({@code /ivr/scenario.schema.json}) in {@code rpc.discover} as
 * {@code components/schemas/IvrScenario}: the {@code scenario} of {@code ivr.create}, {@code ivr.update},
 * {@code ivr.validate} and of the results follows it.
 */
@Component
class IvrSchema implements ApiSchemas {
    static final String RESOURCE = "/ivr/scenario.schema.json";
    static final String NAME = "IvrScenario";

    @Override
    public Map<String, JsonNode> schemas() {
        try (InputStream in = IvrSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("\"#/definitions/", "\"#/components/schemas/" + NAME + "/definitions/");
            return Map.of(NAME, JsonMapper.builder().build().readTree(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package org.callibry.server.api;

import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * JSON Schemas a module publishes in {@code rpc.discover} beside the generated ones (under
 * {@code components/schemas}): documents the API carries as free JSON, such as an IVR scenario.
 * Internal {@code $ref}s must be written relative to the document root ({@code #/components/schemas/Name/...}).
 */
public interface ApiSchemas {

    /** Schemas by name. */
    Map<String, JsonNode> schemas();
}

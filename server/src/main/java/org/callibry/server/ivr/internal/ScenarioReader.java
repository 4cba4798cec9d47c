package org.callibry.server.ivr.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.callibry.shared.api.dto.Ivrs;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a scenario's JSON document into a {@link Scenario}, strictly: an unknown field, a value of
 * the wrong type or an unknown node type is a problem naming the node (by id, or by its index when it
 * has none) and the field, as the validator's are; a node that cannot be read is left out, so the
 * other nodes are still checked.
 */
final class ScenarioReader {
    private static final JsonMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .build();

    /** What was read, and what could not be. */
    record Result(Scenario scenario, List<Ivrs.Problem> problems) {
    }

    private ScenarioReader() {
    }

    static Result read(JsonNode doc) {
        List<Ivrs.Problem> problems = new ArrayList<>();
        if (doc == null || !doc.isObject()) {
            problems.add(new Ivrs.Problem(null, "scenario", "must be a JSON object with start and nodes"));
            return new Result(new Scenario(null, null, null, null), problems);
        }
        for (String field : doc.propertyNames()) {
            if (!List.of("start", "language", "variables", "nodes", "description").contains(field)) {
                problems.add(new Ivrs.Problem(null, field, "unknown field (known: start, language, variables, nodes, description)"));
            }
        }
        String start = text(doc, "start", problems);
        String language = text(doc, "language", problems);
        Map<String, String> variables = new LinkedHashMap<>();
        JsonNode vars = doc.get("variables");
        if (vars != null && !vars.isNull()) {
            if (!vars.isObject()) {
                problems.add(new Ivrs.Problem(null, "variables", "must be an object of names to text values"));
            } else {
                for (Map.Entry<String, JsonNode> e : vars.properties()) {
                    if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                        variables.put(e.getKey(), e.getValue().asString());
                    } else {
                        problems.add(new Ivrs.Problem(null, "variables." + e.getKey(), "must be a text, number or boolean"));
                    }
                }
            }
        }
        List<Scenario.Node> nodes = new ArrayList<>();
        JsonNode array = doc.get("nodes");
        if (array == null || !array.isArray()) {
            problems.add(new Ivrs.Problem(null, "nodes", "must be an array of nodes"));
        } else {
            for (int i = 0; i < array.size(); i++) {
                Scenario.Node n = node(array.get(i), i, problems);
                if (n != null) {
                    nodes.add(n);
                }
            }
        }
        return new Result(new Scenario(start, language, variables, nodes), problems);
    }

    private static Scenario.Node node(JsonNode json, int index, List<Ivrs.Problem> problems) {
        String name = "nodes[" + index + "]";
        if (json == null || !json.isObject()) {
            problems.add(new Ivrs.Problem(name, "", "must be an object with id and type"));
            return null;
        }
        JsonNode id = json.get("id");
        if (id != null && id.isString() && !id.asString().isBlank()) {
            name = id.asString();
        }
        JsonNode type = json.get("type");
        if (type == null || !type.isString()) {
            problems.add(new Ivrs.Problem(name, "type", "must be one of " + String.join(", ", Scenario.TYPES)));
            return null;
        }
        if (!Scenario.TYPES.contains(type.asString())) {
            problems.add(new Ivrs.Problem(name, "type", "unknown type '" + type.asString() + "' (one of "
                    + String.join(", ", Scenario.TYPES) + ")"));
            return null;
        }
        try {
            return STRICT.treeToValue(json, Scenario.Node.class);
        } catch (UnrecognizedPropertyException e) {
            problems.add(new Ivrs.Problem(name, e.getPropertyName(), "unknown field for a " + type.asString() + " node"));
        } catch (JacksonException e) {
            problems.add(new Ivrs.Problem(name, path(e), "wrong type: " + firstLine(e.getOriginalMessage())));
        }
        return null;
    }

    private static String text(JsonNode doc, String field, List<Ivrs.Problem> problems) {
        JsonNode v = doc.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isString()) {
            problems.add(new Ivrs.Problem(null, field, "must be a text"));
            return null;
        }
        return v.asString();
    }

    /** The field of a Jackson error as {@code a.b[2].c}. */
    static String path(JacksonException e) {
        StringBuilder out = new StringBuilder();
        for (JacksonException.Reference r : e.getPath()) {
            if (r.getPropertyName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(r.getPropertyName());
            } else if (r.getIndex() >= 0) {
                out.append('[').append(r.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}

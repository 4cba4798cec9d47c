package org.callibry.server.api.internal;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.callibry.server.api.RpcException;
import org.callibry.shared.api.ErrorCodes;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns the {@code params} member of a request into the method's parameters record: by name (an
 * object) or by position (an array, in the order of the record's components), then validates it.
 * Every failure is an invalid-params error naming the field.
 */
@Component
class ParamsBinder {
    private final JsonMapper strict;
    private final Validator validator;

    ParamsBinder(JsonMapper mapper, Validator validator) {
        this.strict = mapper.rebuild()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
        this.validator = validator;
    }

    Object bind(JsonNode params, Class<?> type) {
        if (type == null) {
            if (params != null && !params.isNull() && !params.isEmpty()) {
                throw new RpcException(ErrorCodes.INVALID_PARAMS, "Invalid params: this method takes none", null);
            }
            return null;
        }
        JsonNode byName = params == null || params.isNull() ? strict.createObjectNode() : params;
        if (byName.isArray()) {
            byName = byPosition((ArrayNode) byName, type);
        }
        Object value;
        try {
            value = strict.treeToValue(byName, type);
        } catch (UnrecognizedPropertyException e) {
            throw RpcException.invalid(e.getPropertyName(), "unknown field");
        } catch (JacksonException e) {
            String field = e.getPath().stream()
                    .map(r -> r.getPropertyName() != null ? r.getPropertyName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            throw RpcException.invalid(field.isEmpty() ? "params" : field, "wrong type or format: " + e.getOriginalMessage());
        }
        validate(value);
        return value;
    }

    private ObjectNode byPosition(ArrayNode array, Class<?> type) {
        RecordComponent[] components = type.getRecordComponents();
        if (array.size() > components.length) {
            throw RpcException.invalid("params", "at most " + components.length + " positional params");
        }
        ObjectNode node = strict.createObjectNode();
        for (int i = 0; i < array.size(); i++) {
            node.set(components[i].getName(), array.get(i));
        }
        return node;
    }

    private void validate(Object value) {
        Set<ConstraintViolation<Object>> violations = validator.validate(value);
        if (violations.isEmpty()) {
            return;
        }
        List<ConstraintViolation<Object>> sorted = new ArrayList<>(violations);
        sorted.sort(Comparator.comparing((ConstraintViolation<Object> v) -> v.getPropertyPath().toString())
                .thenComparing(ConstraintViolation::getMessage));
        List<Map<String, String>> errors = sorted.stream()
                .map(v -> Map.of("field", v.getPropertyPath().toString(), "reason", v.getMessage()))
                .toList();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("field", errors.getFirst().get("field"));
        data.put("reason", errors.getFirst().get("reason"));
        data.put("errors", errors);
        String message = errors.stream().map(e -> e.get("field") + ": " + e.get("reason"))
                .collect(Collectors.joining("; "));
        throw new RpcException(ErrorCodes.INVALID_PARAMS, "Invalid params: " + message, data);
    }
}

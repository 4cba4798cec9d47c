package org.callibry.server.api.internal;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON Schema (draft 7, as OpenRPC 1.2 uses) of the Java types in API signatures: records become
 * object schemas in {@code components/schemas}, referenced by {@code $ref}; Jakarta Validation
 * constraints become {@code required}, {@code minLength}, {@code pattern}, {@code minimum}, ...
 */
final class JsonSchemas {
    private final JsonMapper json;
    private final ObjectNode components;

    JsonSchemas(JsonMapper json, ObjectNode components) {
        this.json = json;
        this.components = components;
    }

    /** The schema of {@code type}; type variables resolved through {@code bindings}. */
    ObjectNode schema(Type type, Map<TypeVariable<?>, Type> bindings) {
        ObjectNode s = json.createObjectNode();
        if (type instanceof TypeVariable<?> v) {
            return bindings.containsKey(v) ? schema(bindings.get(v), bindings) : s;
        }
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            if (Collection.class.isAssignableFrom(raw)) {
                s.put("type", "array");
                s.set("items", schema(p.getActualTypeArguments()[0], bindings));
                return s;
            }
            if (Map.class.isAssignableFrom(raw)) {
                s.put("type", "object");
                s.set("additionalProperties", schema(p.getActualTypeArguments()[1], bindings));
                return s;
            }
            if (raw.isRecord()) {
                Map<TypeVariable<?>, Type> inner = new HashMap<>(bindings);
                TypeVariable<?>[] vars = raw.getTypeParameters();
                for (int i = 0; i < vars.length; i++) {
                    inner.put(vars[i], p.getActualTypeArguments()[i]);
                }
                return recordSchema(raw, inner);
            }
            return schema(raw, bindings);
        }
        Class<?> c = (Class<?>) type;
        if (c == String.class) {
            s.put("type", "string");
        } else if (c == int.class || c == Integer.class || c == short.class || c == Short.class) {
            s.put("type", "integer");
        } else if (c == long.class || c == Long.class) {
            s.put("type", "integer");
            s.put("format", "int64");
        } else if (c == boolean.class || c == Boolean.class) {
            s.put("type", "boolean");
        } else if (c == double.class || c == Double.class || c == float.class || c == Float.class) {
            s.put("type", "number");
        } else if (c == Instant.class) {
            s.put("type", "string");
            s.put("format", "date-time");
        } else if (c.isEnum()) {
            s.put("type", "string");
            var values = s.putArray("enum");
            for (Object constant : c.getEnumConstants()) {
                values.add(((Enum<?>) constant).name());
            }
        } else if (c == void.class || c == Void.class) {
            s.put("type", "null");
        } else if (c.isRecord()) {
            String name = schemaName(c);
            if (!components.has(name)) {
                components.set(name, json.createObjectNode()); // placeholder against recursion
                components.set(name, recordSchema(c, bindings));
            }
            s.put("$ref", "#/components/schemas/" + name);
        } else if (JsonNode.class.isAssignableFrom(c) || c == Object.class) {
            return s;
        } else if (Map.class.isAssignableFrom(c)) {
            s.put("type", "object");
        }
        return s;
    }

    /** The schema of a record's fields, constraints included. */
    ObjectNode recordSchema(Class<?> record, Map<TypeVariable<?>, Type> bindings) {
        ObjectNode s = json.createObjectNode();
        s.put("type", "object");
        ObjectNode properties = s.putObject("properties");
        var required = json.createArrayNode();
        for (RecordComponent rc : record.getRecordComponents()) {
            ObjectNode p = property(rc, bindings);
            properties.set(rc.getName(), p);
            if (isRequired(record, rc)) {
                required.add(rc.getName());
            }
        }
        if (!required.isEmpty()) {
            s.set("required", required);
        }
        s.put("additionalProperties", false);
        return s;
    }

    /** The schema of one parameter of a by-name params record. */
    ObjectNode property(RecordComponent rc, Map<TypeVariable<?>, Type> bindings) {
        ObjectNode p = schema(rc.getGenericType(), bindings);
        Field f = field(rc);
        if (f == null) {
            return p;
        }
        Size size = f.getAnnotation(Size.class);
        if (size != null) {
            if (size.min() > 0) {
                p.put("minLength", size.min());
            }
            if (size.max() < Integer.MAX_VALUE) {
                p.put("maxLength", size.max());
            }
        }
        if (f.isAnnotationPresent(NotBlank.class) && !p.has("minLength")) {
            p.put("minLength", 1);
        }
        Pattern pattern = f.getAnnotation(Pattern.class);
        if (pattern != null) {
            p.put("pattern", pattern.regexp());
        }
        Min min = f.getAnnotation(Min.class);
        if (min != null) {
            p.put("minimum", min.value());
        }
        Max max = f.getAnnotation(Max.class);
        if (max != null) {
            p.put("maximum", max.value());
        }
        if (f.isAnnotationPresent(Positive.class)) {
            p.put("minimum", 1);
        }
        if (f.isAnnotationPresent(Email.class)) {
            p.put("format", "email");
        }
        return p;
    }

    boolean isRequired(Class<?> record, RecordComponent rc) {
        Field f = field(rc);
        return rc.getType().isPrimitive()
                || f != null && (f.isAnnotationPresent(NotNull.class) || f.isAnnotationPresent(NotBlank.class));
    }

    private static Field field(RecordComponent rc) {
        try {
            return rc.getDeclaringRecord().getDeclaredField(rc.getName());
        } catch (NoSuchFieldException e) {
            return null;
        }
    }

    /** {@code Tenants.Create} for a nested record, the simple name otherwise. */
    static String schemaName(Class<?> c) {
        return c.getEnclosingClass() == null ? c.getSimpleName() : c.getEnclosingClass().getSimpleName() + "." + c.getSimpleName();
    }
}

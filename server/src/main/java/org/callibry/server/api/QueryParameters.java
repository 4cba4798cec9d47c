package org.callibry.server.api;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The query parameters of a plain HTTP endpoint (a CSV export) read as strictly as JSON-RPC params:
 * unknown or repeated names, bad numbers and instants are refused with an error naming the parameter.
 */
public final class QueryParameters {
    private QueryParameters() {
    }

    /** The parameters by name, stripped; blank ones left out. Names outside {@code known} or given twice are refused. */
    public static Map<String, String> single(Map<String, String[]> query, Set<String> known) {
        Map<String, String> p = new LinkedHashMap<>();
        query.forEach((name, values) -> {
            if (!known.contains(name)) {
                throw RpcException.invalid(name, "unknown parameter; use " + String.join(", ", known.stream().sorted().toList()));
            }
            if (values.length != 1) {
                throw RpcException.invalid(name, "given more than once");
            }
            if (!values[0].isBlank()) {
                p.put(name, values[0].strip());
            }
        });
        return p;
    }

    /** An ISO-8601 instant, or null when absent. */
    public static Instant instant(Map<String, String> p, String name) {
        String v = p.get(name);
        try {
            return v == null ? null : Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw RpcException.invalid(name, "must be an ISO-8601 instant, e.g. 2026-11-27T10:00:00Z");
        }
    }

    /** A whole number, or null when absent. */
    public static Long number(Map<String, String> p, String name) {
        String v = p.get(name);
        try {
            return v == null ? null : Long.valueOf(v);
        } catch (NumberFormatException e) {
            throw RpcException.invalid(name, "must be a number");
        }
    }
}

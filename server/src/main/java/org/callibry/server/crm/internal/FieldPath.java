package org.callibry.server.crm.internal;

import tools.jackson.databind.JsonNode;

/**
 * Where a value is in a CRM's JSON answer: a JSON pointer (RFC 6901, {@code /data/contact/name}) or the
 * same path dotted ({@code data.contact.name}, array elements by index: {@code items.0.name}).
 */
final class FieldPath {
    private FieldPath() {
    }

    /** Refuses a path that is neither form; returns it as a JSON pointer. */
    static String pointer(String path) {
        String p = path.strip();
        if (p.isEmpty()) {
            throw new IllegalArgumentException("is empty");
        }
        if (p.startsWith("/")) {
            return p;
        }
        if (p.startsWith(".") || p.endsWith(".") || p.contains("..")) {
            throw new IllegalArgumentException("has an empty step: " + p);
        }
        // RFC 6901 §3: '~' and '/' inside a step are escaped
        StringBuilder out = new StringBuilder();
        for (String step : p.split("\\.")) {
            out.append('/').append(step.replace("~", "~0").replace("/", "~1"));
        }
        return out.toString();
    }

    /** The text at {@code path} in {@code root} (numbers and booleans as text), or null when absent, null or a container. */
    static String text(JsonNode root, String path) {
        if (path == null || path.isBlank()) {
            return null;
        }
        JsonNode n = root.at(pointer(path));
        if (n == null || n.isMissingNode() || n.isNull() || n.isContainer()) {
            return null;
        }
        String s = n.asString().strip();
        return s.isEmpty() ? null : s;
    }
}

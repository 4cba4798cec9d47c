package org.callibry.server.ivr.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * A field of a JSON answer, as an {@code http} node's {@code assign} names it: names separated by dots,
 * each optionally followed by array indexes ({@code data.items[0].sum}, {@code [2].name}); an optional
 * leading {@code $.} is ignored.
 */
final class FieldPath {
    private static final Pattern SEGMENT = Pattern.compile("([A-Za-z_$][A-Za-z0-9_$-]*)?((?:\\[\\d+])*)");
    private static final Pattern INDEX = Pattern.compile("\\[(\\d+)]");

    /** A field name or an array index. */
    private record Step(String name, int index) {
    }

    private final List<Step> steps;

    private FieldPath(List<Step> steps) {
        this.steps = steps;
    }

    static FieldPath parse(String path) {
        String p = path == null ? "" : path.strip();
        if (p.startsWith("$.")) {
            p = p.substring(2);
        } else if (p.equals("$")) {
            return new FieldPath(List.of());
        }
        if (p.isEmpty()) {
            throw new IllegalArgumentException("an empty field path");
        }
        List<Step> steps = new ArrayList<>();
        for (String segment : p.split("\\.", -1)) {
            Matcher m = SEGMENT.matcher(segment);
            if (segment.isEmpty() || !m.matches() || (m.group(1) == null && m.group(2).isEmpty())) {
                throw new IllegalArgumentException("'" + path + "' is not a field path (like data.items[0].sum)");
            }
            if (m.group(1) != null) {
                steps.add(new Step(m.group(1), -1));
            }
            Matcher i = INDEX.matcher(m.group(2));
            while (i.find()) {
                steps.add(new Step(null, Integer.parseInt(i.group(1))));
            }
        }
        return new FieldPath(List.copyOf(steps));
    }

    /** The value there as text (a string's content, a number or boolean as written, an object or array as JSON); empty when absent or null. */
    Optional<String> text(JsonNode root) {
        JsonNode n = root;
        for (Step s : steps) {
            if (n == null) {
                return Optional.empty();
            }
            n = s.name() != null ? n.get(s.name()) : n.get(s.index());
        }
        if (n == null || n.isNull() || n.isMissingNode()) {
            return Optional.empty();
        }
        return Optional.of(n.isValueNode() ? n.asString() : n.toString());
    }
}

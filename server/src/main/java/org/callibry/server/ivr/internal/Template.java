package org.callibry.server.ivr.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Text with {@code ${variable}} placeholders, as every text field of a scenario may hold: a variable
 * that is not set is empty. {@code $$} is a literal {@code $}. A variable name is a letter or
 * {@code _} followed by letters, digits, {@code _} or {@code .}.
 */
final class Template {
    static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");

    private sealed interface Part {
    }

    private record Text(String text) implements Part {
    }

    private record Variable(String name) implements Part {
    }

    private final List<Part> parts;

    private Template(List<Part> parts) {
        this.parts = parts;
    }

    /** Thrown for a malformed template; the message says where. */
    static final class Malformed extends IllegalArgumentException {
        Malformed(String message) {
            super(message);
        }
    }

    static Template parse(String text) {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '$') {
                literal.append('$');
                i += 2;
            } else if (c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '{') {
                int end = text.indexOf('}', i + 2);
                if (end < 0) {
                    throw new Malformed("'${' at " + i + " is not closed by '}'");
                }
                String name = text.substring(i + 2, end).strip();
                if (!NAME.matcher(name).matches()) {
                    throw new Malformed("'" + name + "' at " + i + " is not a variable name");
                }
                if (!literal.isEmpty()) {
                    parts.add(new Text(literal.toString()));
                    literal.setLength(0);
                }
                parts.add(new Variable(name));
                i = end + 1;
            } else {
                literal.append(c);
                i++;
            }
        }
        if (!literal.isEmpty()) {
            parts.add(new Text(literal.toString()));
        }
        return new Template(List.copyOf(parts));
    }

    /** The variable names it uses, in order. */
    List<String> variables() {
        List<String> out = new ArrayList<>();
        for (Part p : parts) {
            if (p instanceof Variable v) {
                out.add(v.name());
            }
        }
        return out;
    }

    String render(Map<String, String> variables) {
        return render(variables, UnaryOperator.identity());
    }

    /** With each variable's value passed through {@code escape} (e.g. URL encoding); the literal text is kept. */
    String render(Map<String, String> variables, UnaryOperator<String> escape) {
        StringBuilder out = new StringBuilder();
        for (Part p : parts) {
            switch (p) {
                case Text t -> out.append(t.text());
                case Variable v -> out.append(escape.apply(variables.getOrDefault(v.name(), "")));
            }
        }
        return out.toString();
    }

    /** A URL query or path value: UTF-8 percent-encoding, a space as {@code %20}. */
    static String urlEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

package org.callibry.server.routing.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A compiled route mask: a Java regular expression that must match the whole value. What the
 * expression says about its matches is worked out once, so most routes are passed over without
 * running it:
 * <ul>
 *   <li>{@link #prefixes}: literal strings every match starts with one of ({@code ^(\+7|8)495\d+$}:
 *       {@code +7495} or {@code 8495}); the route table indexes routes by them;</li>
 *   <li>{@link #required}: a literal every match contains, checked with {@code indexOf} first;</li>
 *   <li>{@link #literal}: the whole mask when it is a plain string ({@code ^600$}), compared with {@code equals}.</li>
 * </ul>
 * The analysis knows a safe subset of the syntax (literals, groups, alternatives, small character
 * classes, quantifiers) and gives up ("no prefix", "nothing required") on anything else.
 *
 * @param prefixes no two of them prefix one another; empty when no prefix can be told
 * @param required "" when nothing can be told
 * @param literal  null when the mask is a real expression
 */
record Mask(String regex, Pattern pattern, List<String> prefixes, String required, String literal) {
    /** Past this many alternative prefixes a mask is not worth indexing. */
    static final int MAX_PREFIXES = 64;

    /** Compiles {@code regex}; throws {@link java.util.regex.PatternSyntaxException} when it is not one. */
    static Mask compile(String regex) {
        Pattern pattern = Pattern.compile(regex);
        try {
            List<Item> items = items(regex);
            Prefixes p = prefixes(items, true);
            List<String> prefixes = p == null ? List.of() : prefixFree(p.strings());
            String literal = p != null && p.complete() && p.strings().size() == 1 ? prefixes.getFirst() : null;
            return new Mask(regex, pattern, prefixes, required(items), literal);
        } catch (Unsupported | RuntimeException e) {
            // syntax the analysis does not know: the expression alone decides
            return new Mask(regex, pattern, List.of(), "", null);
        }
    }

    boolean matches(String value) {
        if (literal != null) {
            return literal.equals(value);
        }
        return (required.isEmpty() || value.contains(required)) && pattern.matcher(value).matches();
    }

    // ---- the analysis ----

    private static final class Unsupported extends Exception {
        Unsupported() {
            super(null, null, false, false);
        }
    }

    private enum Kind { LITERAL, GROUP, CLASS, BEGIN, END, ALTERNATION, OTHER }

    /**
     * One element of an expression at one nesting level.
     *
     * @param min   fewest repetitions its quantifier allows; 1 without a quantifier
     * @param fixed no quantifier, or one that repeats it exactly once
     */
    private record Item(Kind kind, String text, int min, boolean fixed) {
    }

    /** The elements of {@code re} at its top level; group bodies are kept as text. */
    private static List<Item> items(String re) throws Unsupported {
        List<Item> items = new ArrayList<>();
        int n = re.length();
        int i = 0;
        while (i < n) {
            char c = re.charAt(i);
            Kind kind;
            String text;
            int next;
            if (Character.isSurrogate(c)) {
                throw new Unsupported();
            } else if (c == '|') {
                items.add(new Item(Kind.ALTERNATION, "", 1, true));
                i++;
                continue;
            } else if (c == '^' || c == '$') {
                items.add(new Item(c == '^' ? Kind.BEGIN : Kind.END, "", 1, true));
                i++;
                continue;
            } else if (c == '\\') {
                if (i + 1 >= n) {
                    throw new Unsupported();
                }
                char e = re.charAt(i + 1);
                if (!Character.isLetterOrDigit(e)) {
                    kind = Kind.LITERAL; // a backslash before a non-alphanumeric character quotes it
                    text = String.valueOf(e);
                } else if ("dDsSwWhHvVbBAGZzRX".indexOf(e) >= 0) {
                    kind = Kind.OTHER;
                    text = "";
                } else {
                    throw new Unsupported(); // quoting, hex and unicode escapes, properties, back references: longer constructs
                }
                next = i + 2;
            } else if (c == '[') {
                next = classEnd(re, i) + 1;
                text = classChars(re.substring(i + 1, next - 1));
                kind = text == null ? Kind.OTHER : Kind.CLASS;
            } else if (c == '(') {
                int close = groupEnd(re, i);
                String body = re.substring(i + 1, close);
                if (body.startsWith("?:")) {
                    body = body.substring(2);
                } else if (body.startsWith("?<") && body.length() > 2 && Character.isLetter(body.charAt(2))) {
                    body = body.substring(body.indexOf('>') + 1);
                } else if (body.startsWith("?")) {
                    throw new Unsupported(); // flags change how the rest reads; lookarounds and atomic groups
                }
                kind = Kind.GROUP;
                text = body;
                next = close + 1;
            } else if (c == '.') {
                kind = Kind.OTHER;
                text = "";
                next = i + 1;
            } else {
                kind = Kind.LITERAL;
                text = String.valueOf(c);
                next = i + 1;
            }
            // a quantifier, then an optional lazy or possessive mark
            int min = 1;
            boolean fixed = true;
            if (next < n && "?*+".indexOf(re.charAt(next)) >= 0) {
                min = re.charAt(next) == '+' ? 1 : 0;
                fixed = false;
                next++;
            } else if (next < n && re.charAt(next) == '{') {
                int close = re.indexOf('}', next);
                String[] bounds = re.substring(next + 1, close).split(",", -1);
                min = Integer.parseInt(bounds[0].strip());
                fixed = bounds.length == 1 && min == 1;
                next = close + 1;
            }
            if (!fixed && next < n && (re.charAt(next) == '?' || re.charAt(next) == '+')) {
                next++;
            }
            items.add(new Item(kind, text, min, fixed));
            i = next;
        }
        return items;
    }

    /** The index of the {@code ]} closing the class opened at {@code open}. */
    private static int classEnd(String re, int open) throws Unsupported {
        int i = open + 1;
        if (i < re.length() && re.charAt(i) == '^') {
            i++;
        }
        if (i < re.length() && re.charAt(i) == ']') {
            i++; // first in the class, ] is a literal
        }
        for (; i < re.length(); i++) {
            char c = re.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '[') {
                i = classEnd(re, i);
            } else if (c == ']') {
                return i;
            }
        }
        throw new Unsupported();
    }

    /** The index of the {@code )} closing the group opened at {@code open}. */
    private static int groupEnd(String re, int open) throws Unsupported {
        int depth = 0;
        for (int i = open; i < re.length(); i++) {
            char c = re.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '[') {
                i = classEnd(re, i);
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
        }
        throw new Unsupported();
    }

    /** The characters of a class that only lists characters ({@code [78]}, {@code [+8]}), else null. */
    private static String classChars(String body) {
        StringBuilder chars = new StringBuilder();
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\\' && i + 1 < body.length() && !Character.isLetterOrDigit(body.charAt(i + 1))) {
                chars.append(body.charAt(++i));
            } else if (c == '^' && i == 0 || c == '-' || c == '[' || c == '&' || c == '\\' || Character.isSurrogate(c)) {
                return null;
            } else {
                chars.append(c);
            }
        }
        return chars.isEmpty() ? null : chars.toString();
    }

    /**
     * @param strings  every match starts with one of them
     * @param complete every match is exactly one of them (the expression is a set of literals)
     */
    private record Prefixes(Set<String> strings, boolean complete) {
    }

    /**
     * The prefixes of a list of alternatives, or null when one of them may start with anything.
     * {@code ^} and {@code $} are understood at the ends of the whole expression only ({@code topLevel}).
     */
    private static Prefixes prefixes(List<Item> items, boolean topLevel) throws Unsupported {
        Set<String> all = new LinkedHashSet<>();
        boolean complete = true;
        List<Item> alternative = new ArrayList<>();
        for (int i = 0; i <= items.size(); i++) {
            if (i < items.size() && items.get(i).kind() != Kind.ALTERNATION) {
                alternative.add(items.get(i));
                continue;
            }
            Prefixes p = sequence(alternative, topLevel);
            if (p.strings().contains("")) {
                return null;
            }
            all.addAll(p.strings());
            complete &= p.complete();
            alternative.clear();
        }
        return all.size() > MAX_PREFIXES ? null : new Prefixes(all, complete);
    }

    /** The prefixes of one alternative: the literal strings its leading fixed elements spell. */
    private static Prefixes sequence(List<Item> items, boolean topLevel) throws Unsupported {
        Set<String> current = Set.of("");
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            if (topLevel && item.fixed() && (item.kind() == Kind.BEGIN && i == 0 || item.kind() == Kind.END && i == items.size() - 1)) {
                continue;
            }
            if (item.min() == 0) {
                return new Prefixes(current, false);
            }
            Set<String> next;
            boolean nextComplete = true;
            switch (item.kind()) {
                case LITERAL -> next = Set.of(item.text());
                case CLASS -> {
                    next = new LinkedHashSet<>();
                    for (char c : item.text().toCharArray()) {
                        next.add(String.valueOf(c));
                    }
                }
                case GROUP -> {
                    Prefixes inner = prefixes(items(item.text()), false);
                    if (inner == null) {
                        return new Prefixes(current, false);
                    }
                    next = inner.strings();
                    nextComplete = inner.complete();
                }
                default -> {
                    return new Prefixes(current, false);
                }
            }
            if ((long) current.size() * next.size() > MAX_PREFIXES) {
                return new Prefixes(current, false);
            }
            Set<String> joined = new LinkedHashSet<>();
            for (String a : current) {
                for (String b : next) {
                    joined.add(a + b);
                }
            }
            current = joined;
            if (!item.fixed() || !nextComplete) {
                return new Prefixes(current, false); // after a repetition or an open-ended group nothing is fixed
            }
        }
        return new Prefixes(current, true);
    }

    /** The shortest of the prefixes only: a value then starts with at most one of them. */
    private static List<String> prefixFree(Set<String> prefixes) {
        List<String> sorted = prefixes.stream().sorted().toList();
        List<String> out = new ArrayList<>();
        for (String p : sorted) {
            if (out.isEmpty() || !p.startsWith(out.getLast())) {
                out.add(p);
            }
        }
        return List.copyOf(out);
    }

    /** The longest run of literal characters at the top level, which every match contains ("" if none). */
    private static String required(List<Item> items) {
        if (items.stream().anyMatch(i -> i.kind() == Kind.ALTERNATION)) {
            return "";
        }
        String best = "";
        StringBuilder run = new StringBuilder();
        for (Item item : items) {
            boolean literal = item.kind() == Kind.LITERAL && item.min() > 0;
            if (literal) {
                run.append(item.text());
            }
            if (!literal || !item.fixed()) {
                if (run.length() > best.length()) {
                    best = run.toString();
                }
                run.setLength(0);
            }
        }
        return run.length() > best.length() ? run.toString() : best;
    }
}

package org.callibry.server.routing.internal;

import java.util.regex.Pattern;

/**
 * A compiled route mask: a Java regular expression that must match the whole value. Masks that are a
 * plain literal ({@code ^600$}) are compared with {@code equals}; the literal text every match must
 * start with ({@link #prefix}) lets the route table skip routes without running the expression.
 *
 * @param literal the whole mask as a literal, or null when it is a real expression
 * @param prefix  a literal every matching value starts with ("" when none can be told)
 */
record Mask(String regex, Pattern pattern, String literal, String prefix) {
    private static final String META = ".[](){}|?*+^$";
    private static final String QUANTIFIERS = "?*+{";

    /** Compiles {@code regex}; throws {@link java.util.regex.PatternSyntaxException} when it is not one. */
    static Mask compile(String regex) {
        Pattern pattern = Pattern.compile(regex);
        StringBuilder lead = new StringBuilder();
        boolean whole = literalLead(regex, lead);
        if (hasTopLevelAlternation(regex)) {
            return new Mask(regex, pattern, null, "");
        }
        return new Mask(regex, pattern, whole ? lead.toString() : null, lead.toString());
    }

    boolean matches(String value) {
        return literal != null ? literal.equals(value) : pattern.matcher(value).matches();
    }

    /** Number of capturing groups, for checking the rewrites that use them. */
    int groups() {
        return pattern.matcher("").groupCount();
    }

    /**
     * Appends to {@code lead} the literal characters the expression starts with and tells whether
     * the expression is nothing but them (an optional {@code ^} before, an optional {@code $} after).
     */
    static boolean literalLead(String regex, StringBuilder lead) {
        int n = regex.length();
        int i = regex.startsWith("^") ? 1 : 0;
        while (i < n) {
            char c = regex.charAt(i);
            char literal;
            int next;
            if (c == '\\') {
                // a backslash before a non-alphanumeric character quotes it; before a letter or digit it is a construct
                if (i + 1 >= n || Character.isLetterOrDigit(regex.charAt(i + 1))) {
                    return false;
                }
                literal = regex.charAt(i + 1);
                next = i + 2;
            } else if (META.indexOf(c) >= 0) {
                return c == '$' && i == n - 1;
            } else if (Character.isSurrogate(c)) {
                return false;
            } else {
                literal = c;
                next = i + 1;
            }
            if (next < n && QUANTIFIERS.indexOf(regex.charAt(next)) >= 0) {
                return false; // the character is repeated or optional: it is not a fixed prefix
            }
            lead.append(literal);
            i = next;
        }
        return true;
    }

    /**
     * Does the expression have an alternative outside any group ({@code 12|34})? Then no prefix holds
     * for all its matches. Errs on the side of yes when unsure.
     */
    static boolean hasTopLevelAlternation(String regex) {
        if (regex.contains("\\Q")) {
            return true;
        }
        int depth = 0;
        int classDepth = 0;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '[') {
                classDepth++;
            } else if (c == ']' && classDepth > 0) {
                classDepth--;
            } else if (classDepth == 0) {
                if (c == '(') {
                    depth++;
                } else if (c == ')') {
                    depth--;
                } else if (c == '|' && depth == 0) {
                    return true;
                }
            }
        }
        return depth != 0 || classDepth != 0;
    }
}

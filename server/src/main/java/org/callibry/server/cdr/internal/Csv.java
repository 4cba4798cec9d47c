package org.callibry.server.cdr.internal;

import java.io.IOException;
import java.io.Writer;
import java.util.regex.Pattern;

/**
 * CSV as RFC 4180 defines it: fields separated by commas, records ended by CRLF (§2.1-2.4); a field
 * holding a comma, a double quote, CR or LF is enclosed in double quotes, and a double quote inside
 * it is doubled (§2.5-2.7).
 */
final class Csv {
    /** A signed number as a phone number or a count is written: harmless in a spreadsheet. */
    private static final Pattern SIGNED_NUMBER = Pattern.compile("[+-][0-9 ().-]*");

    private Csv() {
    }

    /** Writes one record and its CRLF. */
    static void row(Writer out, String... fields) throws IOException {
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(field(fields[i]));
        }
        out.write("\r\n");
    }

    /** One field, quoted when RFC 4180 §2.6 requires it; null is the empty field. */
    static String field(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        String v = guardFormula(value);
        boolean quote = false;
        for (int i = 0; i < v.length() && !quote; i++) {
            char c = v.charAt(i);
            quote = c == ',' || c == '"' || c == '\r' || c == '\n';
        }
        return quote ? '"' + v.replace("\"", "\"\"") + '"' : v;
    }

    /**
     * Caller-controlled text (a From user part, a reason phrase) must not become a spreadsheet formula
     * when an administrator opens the file (OWASP "CSV injection"): a field that a spreadsheet would
     * evaluate ({@code = @}, tab, CR, or {@code + -} followed by more than a number) gets a leading
     * apostrophe. Numbers such as {@code +74951234567} are left as they are.
     */
    static String guardFormula(String value) {
        char first = value.charAt(0);
        boolean formula = first == '=' || first == '@' || first == '\t' || first == '\r'
                || (first == '+' || first == '-') && !SIGNED_NUMBER.matcher(value).matches();
        return formula ? "'" + value : value;
    }
}

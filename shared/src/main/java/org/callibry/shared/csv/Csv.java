package org.callibry.shared.csv;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Comma-separated values as RFC 4180 has them, for the server's exports and imports (routes, CDRs).
 * Writing: fields separated by commas and records ended by CRLF (§2.1, §2.4); a field is enclosed in
 * double quotes when it holds a comma, a double quote, CR or LF (§2.6) or starts or ends with white
 * space (which spreadsheets would otherwise trim), and a double quote inside it is doubled (§2.7); null
 * is the empty field. Reading takes LF line ends as well as CRLF and a leading byte-order mark, skips
 * blank lines, tells the line each record starts on and refuses what §2 does not allow (a quote inside
 * an unquoted field, text after a closing quote, a quoted field never closed) at its line. Files meant
 * for a spreadsheet pass caller-controlled text through {@link #guardFormula} first.
 */
public final class Csv {
    /** A signed number as a phone number or a count is written: harmless in a spreadsheet. */
    private static final Pattern SIGNED_NUMBER = Pattern.compile("[+-][0-9 ().-]*");

    private Csv() {
    }

    /** One record and the line (1-based) it starts on. */
    public record Line(int number, List<String> fields) {
        public Line {
            fields = List.copyOf(fields);
        }
    }

    /** A malformed file, at a line. */
    public static final class MalformedException extends RuntimeException {
        private final int line;

        MalformedException(int line, String message) {
            super(message, null, false, false);
            this.line = line;
        }

        /** The line (1-based) the offending record starts on. */
        public int line() {
            return line;
        }
    }

    // ---- writing ----

    /** One field, quoted when RFC 4180 §2.6 requires it (or edge white space would be lost); null is the empty field. */
    public static String field(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        boolean quote = Character.isWhitespace(value.charAt(0)) || Character.isWhitespace(value.charAt(value.length() - 1));
        for (int i = 0; i < value.length() && !quote; i++) {
            char c = value.charAt(i);
            quote = c == ',' || c == '"' || c == '\r' || c == '\n';
        }
        // RFC 4180 §2.7: a double quote inside a quoted field is escaped by another one
        return quote ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }

    /** Writes one record and its CRLF (RFC 4180 §2.1), each field as {@link #field} has it. */
    public static void row(Appendable out, List<String> fields) throws IOException {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(field(fields.get(i)));
        }
        out.append("\r\n");
    }

    /** Writes one record and its CRLF (RFC 4180 §2.1); null fields are empty. */
    public static void row(Appendable out, String... fields) throws IOException {
        row(out, Arrays.asList(fields));
    }

    /**
     * Caller-controlled text (a From user part, a reason phrase) must not become a spreadsheet formula
     * when an administrator opens the file (OWASP "CSV injection"): a field that a spreadsheet would
     * evaluate ({@code = @}, tab, CR, or {@code + -} followed by more than a number) gets a leading
     * apostrophe. Numbers such as {@code +74951234567} are left as they are, and so are null and "".
     * Not for files that are read back (the apostrophe would stay in the value).
     */
    public static String guardFormula(String value) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        char first = value.charAt(0);
        boolean formula = first == '=' || first == '@' || first == '\t' || first == '\r'
                || (first == '+' || first == '-') && !SIGNED_NUMBER.matcher(value).matches();
        return formula ? "'" + value : value;
    }

    /** Writes one record of an export for spreadsheets: each field through {@link #guardFormula}, then as {@link #row}. */
    public static void guardedRow(Appendable out, String... fields) throws IOException {
        List<String> guarded = new java.util.ArrayList<>(fields.length);
        for (String f : fields) {
            guarded.add(guardFormula(f));
        }
        row(out, guarded);
    }

    // ---- reading ----

    /** The records of {@code text}; blank lines are skipped. */
    public static List<Line> read(String text) {
        List<Line> lines = new ArrayList<>();
        int n = text.length();
        int i = text.startsWith("\uFEFF") ? 1 : 0;
        int line = 1;
        while (i < n) {
            int start = line;
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            boolean afterQuote = false;
            boolean endOfRecord = false;
            while (i < n && !endOfRecord) {
                char c = text.charAt(i++);
                if (quoted) {
                    if (c == '"') {
                        // RFC 4180 §2.7: "" inside a quoted field is one quote; a single one closes the field
                        if (i < n && text.charAt(i) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            quoted = false;
                            afterQuote = true;
                        }
                    } else {
                        // RFC 4180 §2.6: line breaks inside quotes belong to the field (and move the line count)
                        if (c == '\n') {
                            line++;
                        }
                        field.append(c);
                    }
                } else if (c == ',') {
                    fields.add(field.toString());
                    field.setLength(0);
                    afterQuote = false;
                } else if (c == '\r' || c == '\n') {
                    if (c == '\r' && i < n && text.charAt(i) == '\n') {
                        i++;
                    }
                    line++;
                    endOfRecord = true;
                } else if (afterQuote) {
                    throw new MalformedException(line, "text after a closing quote (quotes inside a field are doubled: \"\")");
                } else if (c == '"') {
                    // RFC 4180 §2.5: a field with quotes is enclosed in them from its first character
                    if (!field.isEmpty()) {
                        throw new MalformedException(line, "a quote inside an unquoted field (quote the field and double the quote)");
                    }
                    quoted = true;
                } else {
                    field.append(c);
                }
            }
            if (quoted) {
                throw new MalformedException(start, "a quoted field is not closed");
            }
            fields.add(field.toString());
            if (!(fields.size() == 1 && fields.getFirst().isEmpty())) {
                lines.add(new Line(start, fields));
            }
        }
        return lines;
    }
}

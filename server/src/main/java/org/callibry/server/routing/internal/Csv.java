package org.callibry.server.routing.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Comma-separated values as RFC 4180 has them: fields quoted when they hold a comma, quote, line
 * break or edge spaces, quotes doubled inside; CRLF between records. The reader also takes LF line
 * ends and a leading byte-order mark, and tells the line each record starts on.
 */
final class Csv {
    private Csv() {
    }

    /** One record and the line (1-based) it starts on. */
    record Line(int number, List<String> fields) {
    }

    /** A malformed file, at a line. */
    static final class MalformedException extends RuntimeException {
        private final int line;

        MalformedException(int line, String message) {
            super(message, null, false, false);
            this.line = line;
        }

        int line() {
            return line;
        }
    }

    static void appendRecord(StringBuilder out, List<String> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            String f = fields.get(i) == null ? "" : fields.get(i);
            boolean quote = f.indexOf(',') >= 0 || f.indexOf('"') >= 0 || f.indexOf('\n') >= 0 || f.indexOf('\r') >= 0
                    || !f.equals(f.strip());
            if (quote) {
                out.append('"').append(f.replace("\"", "\"\"")).append('"');
            } else {
                out.append(f);
            }
        }
        out.append("\r\n"); // RFC 4180 §2.1
    }

    /** The records of {@code text}; blank lines are skipped. */
    static List<Line> read(String text) {
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
                        if (i < n && text.charAt(i) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            quoted = false;
                            afterQuote = true;
                        }
                    } else {
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

package org.callibry.server.sip.internal;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.MessageParserFactory;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.StringMsgParser;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.text.ParseException;
import java.util.regex.Pattern;

/**
 * JAIN-SIP's parser with the start line checked strictly: RFC 3261 §25.1 allows exactly one SP between
 * the method, the Request-URI and the version, and nothing after the version (RFC 4475 §3.1.2.9,
 * §3.1.2.10). A violation is a parse error, which the stack answers with 400.
 */
public final class StrictMessageParser extends StringMsgParser {
    /** Method SP Request-URI SP SIP/x.y, the method a token (RFC 3261 §25.1). */
    private static final Pattern REQUEST_LINE = Pattern.compile("[A-Za-z0-9.!%*_+`'~-]+ [^ \\t]+ SIP/[0-9]+\\.[0-9]+");

    /** Single-value headers (long and compact names) that must not repeat (RFC 4475 §3.3.8, §3.3.9). */
    private static final java.util.Map<String, String> SINGLE = java.util.Map.ofEntries(
            java.util.Map.entry("from", "from"), java.util.Map.entry("f", "from"),
            java.util.Map.entry("to", "to"), java.util.Map.entry("t", "to"),
            java.util.Map.entry("call-id", "call-id"), java.util.Map.entry("i", "call-id"),
            java.util.Map.entry("cseq", "cseq"), java.util.Map.entry("max-forwards", "max-forwards"),
            java.util.Map.entry("content-length", "content-length"), java.util.Map.entry("l", "content-length"),
            java.util.Map.entry("content-type", "content-type"), java.util.Map.entry("c", "content-type"));

    /** Header of the request-line version when it is not SIP/2.0, for {@link RequestValve} to answer 505. */
    static final String VERSION_MARK = "X-Callibry-Received-Version";

    @Override
    public SIPMessage parseSIPMessage(byte[] buffer, boolean readBody, boolean strict, ParseExceptionListener listener)
            throws ParseException {
        checkRaw(buffer);
        try {
            return super.parseSIPMessage(buffer, readBody, strict, listener);
        } catch (ParseException e) {
            // the stack puts this text in the 400's reason phrase: keep it one clean line
            String reason = e.getMessage() == null ? "Bad Request" : e.getMessage().replaceAll("\\[C@[0-9a-f]+", "")
                    .replaceAll("[\\r\\n\\t]+", " ").strip();
            throw new ParseException(reason.length() > 100 ? reason.substring(0, 100) : reason, e.getErrorOffset());
        }
    }

    /**
     * Checks the raw header section: no whitespace after the request line's version (the parser would
     * trim it), no repeated single-value header, a Date in GMT (RFC 3261 §20.17).
     */
    static void checkRaw(byte[] buffer) throws ParseException {
        String text = new String(buffer, java.nio.charset.StandardCharsets.ISO_8859_1);
        int start = 0;
        while (start < text.length() && (text.charAt(start) == '\r' || text.charAt(start) == '\n')) {
            start++; // keep-alive CRLFs before a message
        }
        int headEnd = text.indexOf("\r\n\r\n", start);
        String head = headEnd < 0 ? text.substring(start) : text.substring(start, headEnd);
        String[] lines = head.split("\r\n");
        if (lines.length == 0 || lines[0].startsWith("SIP/")) {
            return;
        }
        if (lines[0].endsWith(" ") || lines[0].endsWith("\t")) {
            throw new ParseException("Whitespace after the SIP version (RFC 3261 §25.1)", 0);
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            int colon = line.indexOf(':');
            if (colon <= 0 || line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                continue;
            }
            String name = line.substring(0, colon).strip().toLowerCase(java.util.Locale.ROOT);
            String canonical = SINGLE.get(name);
            if (canonical != null && !seen.add(canonical)) {
                throw new ParseException("Repeated single-value header " + canonical + " (RFC 3261 §7.3)", 0);
            }
            if (name.equals("date") && !line.strip().endsWith("GMT")) {
                throw new ParseException("Date must be in GMT (RFC 3261 §20.17)", 0);
            }
            if (ADDRESS.contains(name)) {
                checkAddress(canonicalName(name), line.substring(colon + 1).strip());
            }
        }
    }

    private static final java.util.Set<String> ADDRESS = java.util.Set.of("from", "f", "to", "t", "contact", "m");

    private static String canonicalName(String name) {
        return switch (name) {
            case "f" -> "from";
            case "t" -> "to";
            case "m" -> "contact";
            default -> name;
        };
    }

    /** RFC 3261 §20.10 and §25.1: the name-addr rules the lenient parser lets through. */
    private static void checkAddress(String name, String value) throws ParseException {
        int lt = value.indexOf('<');
        if (lt < 0) {
            // an addr-spec without angle brackets may not contain '?' (nor ',' or ';' inside the URI)
            if (value.indexOf('?') >= 0) {
                throw new ParseException(name + ": a URI with headers must be in angle brackets (RFC 3261 §20.10)", 0);
            }
            return;
        }
        int gt = value.indexOf('>', lt);
        if (gt > lt && (Character.isWhitespace(value.charAt(lt + 1)) || Character.isWhitespace(value.charAt(gt - 1)))) {
            throw new ParseException(name + ": no whitespace inside angle brackets (RFC 3261 §25.1)", 0);
        }
        String display = value.substring(0, lt).strip();
        if (!name.equals("contact") && !display.isEmpty() && !display.startsWith("\"")
                && !display.matches("[A-Za-z0-9.!%*_+`'~ -]+")) {
            throw new ParseException(name + ": a display name with separators must be quoted (RFC 3261 §25.1)", 0);
        }
    }

    @Override
    protected SIPMessage processFirstLine(String line, ParseExceptionListener listener, byte[] message) throws ParseException {
        String raw = stripLineEnd(line);
        if (!raw.startsWith("SIP/") && !REQUEST_LINE.matcher(raw).matches()) {
            throw new ParseException("Malformed Request-Line (RFC 3261 §25.1): " + raw, 0);
        }
        SIPMessage parsed = super.processFirstLine(line, listener, message);
        if (!raw.startsWith("SIP/") && !raw.endsWith(" SIP/2.0")) {
            gov.nist.javax.sip.header.ExtensionHeaderImpl mark = new gov.nist.javax.sip.header.ExtensionHeaderImpl(VERSION_MARK);
            mark.setValue(raw.substring(raw.lastIndexOf(' ') + 1));
            parsed.setHeader(mark);
        }
        return parsed;
    }

    private static String stripLineEnd(String line) {
        int end = line.length();
        while (end > 0 && (line.charAt(end - 1) == '\n' || line.charAt(end - 1) == '\r')) {
            end--;
        }
        return line.substring(0, end);
    }

    /** Plugged in with the stack property {@code gov.nist.javax.sip.MESSAGE_PARSER_FACTORY}. */
    public static final class Factory implements MessageParserFactory {
        @Override
        public MessageParser createMessageParser(SIPTransactionStack stack) {
            return new StrictMessageParser();
        }
    }
}

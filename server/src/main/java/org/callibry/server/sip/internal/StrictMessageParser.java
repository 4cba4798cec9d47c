package org.callibry.server.sip.internal;

import gov.nist.javax.sip.header.RequestLine;
import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.header.StatusLine;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
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
    /** A display name that needs no quotes: tokens and spaces. */
    private static final Pattern TOKENS = Pattern.compile("[A-Za-z0-9.!%*_+`'~ -]+");
    /** Method SP Request-URI SP SIP/x.y, the method a token (RFC 3261 §25.1). */
    private static final Pattern REQUEST_LINE = Pattern.compile("[A-Za-z0-9.!%*_+`'~-]+ [^ \\t]+ SIP/[0-9]+\\.[0-9]+");

    /**
     * Single-value headers that must not repeat (RFC 4475 §3.3.8, §3.3.9): their canonical names, and the
     * long and compact names that map to each (the index is the canonical one's).
     */
    private static final String[] SINGLE = {"from", "to", "call-id", "cseq", "max-forwards", "content-length", "content-type"};
    private static final String[][] SINGLE_NAMES = {{"from", "f"}, {"to", "t"}, {"call-id", "i"}, {"cseq"}, {"max-forwards"},
            {"content-length", "l"}, {"content-type", "c"}};

    /** Header of the request-line version when it is not SIP/2.0, for {@link RequestValve} to answer 505. */
    static final String VERSION_MARK = "X-Callibry-Received-Version";

    /** Whether the hot headers and start lines go through {@link FastHeaders} first. */
    private final boolean fast;

    public StrictMessageParser() {
        this(true);
    }

    StrictMessageParser(boolean fast) {
        this.fast = fast;
    }

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
     * trim it), no repeated single-value header, a Date in GMT (RFC 3261 §20.17), name-addr rules in From,
     * To and Contact. It reads the bytes in place: it runs on every message, before the parser.
     */
    static void checkRaw(byte[] b) throws ParseException {
        int n = b.length;
        int pos = 0;
        while (pos < n && (b[pos] == '\r' || b[pos] == '\n')) {
            pos++; // keep-alive CRLFs before a message
        }
        int end = lineEnd(b, pos);
        if (end == pos || startsWith(b, pos, end, "SIP/")) {
            return;
        }
        if (b[end - 1] == ' ' || b[end - 1] == '\t') {
            throw new ParseException("Whitespace after the SIP version (RFC 3261 §25.1)", 0);
        }
        int seen = 0;
        for (pos = end + 2; pos < n; pos = end + 2) {
            end = lineEnd(b, pos);
            if (end == pos) {
                return; // the blank line: the headers are over
            }
            if (b[pos] == ' ' || b[pos] == '\t') {
                continue; // a folded continuation
            }
            int colon = pos;
            while (colon < end && b[colon] != ':') {
                colon++;
            }
            if (colon == end || colon == pos) {
                continue;
            }
            int nameEnd = colon;
            while (nameEnd > pos && (b[nameEnd - 1] == ' ' || b[nameEnd - 1] == '\t')) {
                nameEnd--;
            }
            int single = single(b, pos, nameEnd);
            if (single >= 0) {
                if ((seen & (1 << single)) != 0) {
                    throw new ParseException("Repeated single-value header " + SINGLE[single] + " (RFC 3261 §7.3)", 0);
                }
                seen |= 1 << single;
            }
            String address = single == 0 ? "from" : single == 1 ? "to"
                    : is(b, pos, nameEnd, "contact") || is(b, pos, nameEnd, "m") ? "contact" : null;
            if (address != null) {
                checkAddress(address, new String(b, colon + 1, end - colon - 1, java.nio.charset.StandardCharsets.ISO_8859_1).strip());
            } else if (is(b, pos, nameEnd, "date")) {
                int last = end;
                while (last > colon + 1 && (b[last - 1] == ' ' || b[last - 1] == '\t')) {
                    last--;
                }
                if (!startsWith(b, last - 3, last, "GMT")) {
                    throw new ParseException("Date must be in GMT (RFC 3261 §20.17)", 0);
                }
            }
        }
    }

    /** The index of the CR of the CRLF that ends the line starting at {@code from}, or the buffer's end. */
    private static int lineEnd(byte[] b, int from) {
        for (int i = from; i + 1 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        return b.length;
    }

    private static boolean startsWith(byte[] b, int from, int to, String prefix) {
        if (from < 0 || to - from < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (b[from + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Whether bytes [from, to) are the lower-case {@code name}, ignoring case. */
    private static boolean is(byte[] b, int from, int to, String name) {
        if (to - from != name.length()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            int c = b[from + i];
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The index in {@link #SINGLE} of the header named by bytes [from, to), or -1. */
    private static int single(byte[] b, int from, int to) {
        for (int i = 0; i < SINGLE_NAMES.length; i++) {
            for (String name : SINGLE_NAMES[i]) {
                if (is(b, from, to, name)) {
                    return i;
                }
            }
        }
        return -1;
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
                && !TOKENS.matcher(display).matches()) {
            throw new ParseException(name + ": a display name with separators must be quoted (RFC 3261 §25.1)", 0);
        }
    }

    @Override
    protected void processHeader(String header, SIPMessage message, ParseExceptionListener listener, byte[] raw)
            throws ParseException {
        SIPHeader parsed = fast ? FastHeaders.header(header) : null;
        if (parsed != null) {
            try {
                message.attachHeader(parsed, false);
                return;
            } catch (ParseException e) {
                // a repeated single header and the like: the RI's path reports it as it always has
            }
        }
        super.processHeader(header, message, listener, raw);
    }

    @Override
    protected SIPMessage processFirstLine(String line, ParseExceptionListener listener, byte[] message) throws ParseException {
        String raw = stripLineEnd(line);
        if (fast) {
            SIPMessage parsed = fastFirstLine(raw);
            if (parsed != null) {
                return parsed;
            }
        }
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

    /** The start line through {@link FastHeaders}, or null to take the strict RI path. */
    private static SIPMessage fastFirstLine(String raw) {
        try {
            if (raw.startsWith("SIP/")) {
                StatusLine status = FastHeaders.statusLine(raw);
                if (status != null) {
                    SIPResponse response = new SIPResponse();
                    response.setStatusLine(status);
                    return response;
                }
            } else {
                RequestLine request = FastHeaders.requestLine(raw);
                if (request != null) {
                    SIPRequest parsed = new SIPRequest();
                    parsed.setRequestLine(request);
                    return parsed;
                }
            }
        } catch (ParseException | IllegalArgumentException e) {
            // the RI's path gives the error
        }
        return null;
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

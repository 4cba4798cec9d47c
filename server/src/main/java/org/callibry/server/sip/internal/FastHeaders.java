package org.callibry.server.sip.internal;

import gov.nist.core.Host;
import gov.nist.core.HostPort;
import gov.nist.core.NameValue;
import gov.nist.javax.sip.address.AddressImpl;
import gov.nist.javax.sip.address.SipUri;
import gov.nist.javax.sip.header.AddressParametersHeader;
import gov.nist.javax.sip.header.AuthenticationHeader;
import gov.nist.javax.sip.header.Authorization;
import gov.nist.javax.sip.header.CSeq;
import gov.nist.javax.sip.header.CallID;
import gov.nist.javax.sip.header.Contact;
import gov.nist.javax.sip.header.ContactList;
import gov.nist.javax.sip.header.ContentLength;
import gov.nist.javax.sip.header.ContentType;
import gov.nist.javax.sip.header.Expires;
import gov.nist.javax.sip.header.From;
import gov.nist.javax.sip.header.MaxForwards;
import gov.nist.javax.sip.header.Protocol;
import gov.nist.javax.sip.header.ProxyAuthorization;
import gov.nist.javax.sip.header.RecordRoute;
import gov.nist.javax.sip.header.RecordRouteList;
import gov.nist.javax.sip.header.RequestLine;
import gov.nist.javax.sip.header.Route;
import gov.nist.javax.sip.header.RouteList;
import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.header.SIPHeaderList;
import gov.nist.javax.sip.header.StatusLine;
import gov.nist.javax.sip.header.To;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.header.ViaList;
import gov.nist.javax.sip.message.SIPRequest;
import java.text.ParseException;
import java.util.function.Supplier;
import javax.sip.InvalidArgumentException;

/**
 * A parser for the headers every call and registration carries (Via, From, To, Call-ID, CSeq, Max-Forwards,
 * Contact, Route, Record-Route, Content-Type, Content-Length, Expires, Authorization, Proxy-Authorization)
 * and for the start line, in the plain
 * forms user agents send: no quoted parameters, escapes, IPv6 references or URI headers. It builds the very
 * objects JAIN-SIP's own parser builds, with the same setters in the same order, in one pass over the
 * characters; on anything outside those forms it declines ({@code null}) and the RI's parser, which has a lexer
 * and a parser object per header, reads the line as before (errors, lenient cases and all). The RI's header
 * parsing was a fifth of the SIP threads' time at 1,000 calls/s. {@code FastHeadersTest} checks, over a corpus
 * of accepted and declined lines, that every object built here is field for field the RI's.
 */
final class FastHeaders {
    private static final boolean[] TOKEN = chars("-.!%*_+`'~");
    /** Characters of a SIP URI's user part taken here: unreserved (escapes and the rest go to the RI). */
    private static final boolean[] USER = chars("-_.!~*'()+");
    /** A SIP URI's parameter names and values taken here. */
    private static final boolean[] PARAM = chars("-_.!~*'");
    private static final boolean[] HOST = chars("-._");

    private FastHeaders() {
    }

    private static boolean[] chars(String extra) {
        boolean[] t = new boolean[128];
        for (char c = '0'; c <= '9'; c++) {
            t[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            t[c] = true;
            t[c - 'a' + 'A'] = true;
        }
        for (char c : extra.toCharArray()) {
            t[c] = true;
        }
        return t;
    }

    /** The header of one unfolded line ({@code Name: value}, no line end), or null to leave it to the RI. */
    static SIPHeader header(String line) {
        int n = line.length();
        for (int i = 0; i < n; i++) {
            char c = line.charAt(i);
            if (c < ' ' || c > '~') {
                return null;
            }
        }
        int colon = line.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        int v = colon + 1;
        while (v < n && line.charAt(v) == ' ') {
            v++;
        }
        if (v == n) {
            return null;
        }
        Cursor c = new Cursor(line, v);
        try {
            SIPHeader h = switch (colon) {
                case 1 -> switch (Character.toLowerCase(line.charAt(0))) {
                    case 'v' -> via(c);
                    case 'f' -> addressHeader(c, new From());
                    case 't' -> addressHeader(c, new To());
                    case 'i' -> callId(c);
                    case 'm' -> list(c, new ContactList(), Contact::new);
                    case 'l' -> contentLength(c);
                    case 'c' -> contentType(c);
                    default -> null;
                };
                case 2 -> named(line, colon, "to") ? addressHeader(c, new To()) : null;
                case 3 -> named(line, colon, "via") ? via(c) : null;
                case 4 -> named(line, colon, "from") ? addressHeader(c, new From())
                        : named(line, colon, "cseq") ? cseq(c) : null;
                case 5 -> named(line, colon, "route") ? list(c, new RouteList(), Route::new) : null;
                case 7 -> named(line, colon, "call-id") ? callId(c)
                        : named(line, colon, "contact") ? list(c, new ContactList(), Contact::new)
                        : named(line, colon, "expires") ? expires(c) : null;
                case 12 -> named(line, colon, "max-forwards") ? maxForwards(c)
                        : named(line, colon, "record-route") ? list(c, new RecordRouteList(), RecordRoute::new)
                        : named(line, colon, "content-type") ? contentType(c) : null;
                case 13 -> named(line, colon, "authorization") ? credentials(c, new Authorization()) : null;
                case 14 -> named(line, colon, "content-length") ? contentLength(c) : null;
                case 19 -> named(line, colon, "proxy-authorization") ? credentials(c, new ProxyAuthorization()) : null;
                default -> null;
            };
            return h != null && c.atEnd() ? h : null;
        } catch (ParseException | InvalidArgumentException | IllegalArgumentException e) {
            return null; // the RI reads it again and gives its own error or its lenient reading
        }
    }

    /** A request line {@code METHOD SP sip-uri SP SIP/2.0}, or null to leave it to the RI. */
    static RequestLine requestLine(String line) throws ParseException {
        Cursor c = new Cursor(line, 0);
        String method = c.run(TOKEN);
        if (method == null || !c.take(' ')) {
            return null;
        }
        int sp = line.indexOf(' ', c.pos);
        if (sp < 0 || !line.startsWith(" SIP/2.0", sp) || sp + 8 != line.length()) {
            return null;
        }
        SipUri uri = uri(new Cursor(line, c.pos), sp);
        if (uri == null) {
            return null;
        }
        RequestLine r = new RequestLine();
        r.setMethod(method);
        r.setUri(uri);
        r.setSipVersion("SIP/2.0");
        return r;
    }

    /** A status line {@code SIP/2.0 SP code [SP reason]}, or null to leave it to the RI. */
    static StatusLine statusLine(String line) {
        if (line.length() < 11 || !line.startsWith("SIP/2.0 ") || (line.length() > 11 && line.charAt(11) != ' ')) {
            return null;
        }
        int code = 0;
        for (int i = 8; i < 11; i++) {
            char d = line.charAt(i);
            if (d < '0' || d > '9') {
                return null;
            }
            code = code * 10 + d - '0';
        }
        for (int i = 11; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (ch < ' ' || ch > '~') {
                return null;
            }
        }
        StatusLine s = new StatusLine();
        s.setSipVersion("SIP/2.0");
        s.setStatusCode(code);
        s.setReasonPhrase(line.substring(11).trim());
        return s;
    }

    private static boolean named(String line, int colon, String name) {
        return line.regionMatches(true, 0, name, 0, colon);
    }

    private static ViaList via(Cursor c) throws ParseException {
        ViaList list = new ViaList();
        do {
            if (!c.skip("SIP/2.0/")) {
                return null;
            }
            String transport = c.run(TOKEN);
            if (transport == null || !c.take(' ')) {
                return null;
            }
            c.spaces();
            HostPort sentBy = hostPort(c);
            if (sentBy == null) {
                return null;
            }
            Via via = new Via();
            Protocol protocol = new Protocol();
            protocol.setProtocolName("SIP");
            protocol.setProtocolVersion("2.0");
            protocol.setTransport(transport);
            via.setSentProtocol(protocol);
            via.setSentBy(sentBy);
            while (c.take(';')) {
                String name = c.run(TOKEN);
                if (name == null) {
                    return null;
                }
                name = name.toLowerCase();
                if (c.take('=')) {
                    String value = c.run(TOKEN);
                    if (value == null) {
                        return null;
                    }
                    via.setParameter(new NameValue(name, value));
                } else if (name.equals("branch")) {
                    return null;
                } else {
                    via.setParameter(new NameValue(name, null));
                }
            }
            list.add(via);
        } while (c.nextInList());
        return list;
    }

    private static <H extends AddressParametersHeader> SIPHeaderList<H> list(Cursor c, SIPHeaderList<H> list, Supplier<H> item)
            throws ParseException {
        do {
            H h = addressHeader(c, item.get());
            if (h == null) {
                return null;
            }
            list.add(h);
        } while (c.nextInList());
        return list;
    }

    /** name-addr, then {@code ;name[=value]} parameters: From, To, Contact, Route and Record-Route. */
    private static <H extends AddressParametersHeader> H addressHeader(Cursor c, H h) throws ParseException {
        String display = null;
        if (c.peek() == '"') {
            display = c.quoted();
            if (display == null) {
                return null;
            }
            display = display.trim();
            c.spaces();
        } else if (c.peek() != '<') {
            int lt = c.s.indexOf('<', c.pos);
            if (lt < 0) {
                return null; // an addr-spec without brackets
            }
            for (int i = c.pos; i < lt; i++) {
                char ch = c.s.charAt(i);
                if (ch != ' ' && !TOKEN[ch]) {
                    return null;
                }
            }
            display = c.s.substring(c.pos, lt).trim();
            c.pos = lt;
        }
        if (!c.take('<')) {
            return null;
        }
        int gt = c.s.indexOf('>', c.pos);
        if (gt < 0) {
            return null;
        }
        SipUri uri = uri(c, gt);
        if (uri == null) {
            return null;
        }
        c.pos = gt + 1;
        AddressImpl address = new AddressImpl();
        address.setAddressType(AddressImpl.NAME_ADDR);
        if (display != null) {
            address.setDisplayName(display);
        }
        address.setURI(uri);
        h.setAddress(address);
        while (c.take(';')) {
            String name = c.run(TOKEN);
            if (name == null) {
                return null;
            }
            if (c.take('=')) {
                String value = c.run(TOKEN);
                if (value == null) {
                    return null;
                }
                h.setParameter(new NameValue(name, value, false));
            } else {
                h.setParameter(new NameValue(name, "", true));
            }
        }
        return h;
    }

    /** {@code sip:} or {@code sips:} URI from the cursor up to {@code end}, with parameters and no headers. */
    private static SipUri uri(Cursor c, int end) throws ParseException {
        String scheme;
        if (c.skip("sip:")) {
            scheme = "sip";
        } else if (c.skip("sips:")) {
            scheme = "sips";
        } else {
            return null;
        }
        String user = null;
        int at = c.s.indexOf('@', c.pos);
        if (at >= 0 && at < end) {
            if (at == c.pos) {
                return null;
            }
            for (int i = c.pos; i < at; i++) {
                char ch = c.s.charAt(i);
                if (ch > '~' || !USER[ch]) {
                    return null;
                }
            }
            user = c.s.substring(c.pos, at);
            c.pos = at + 1;
        }
        HostPort hostPort = hostPort(c);
        if (hostPort == null) {
            return null;
        }
        SipUri uri = new SipUri();
        uri.setScheme(scheme);
        if (user != null) {
            uri.setUser(user);
        }
        uri.setHostPort(hostPort);
        while (c.pos < end && c.take(';')) {
            String name = c.run(PARAM);
            if (name == null) {
                return null;
            }
            if (c.take('=')) {
                String value = c.run(PARAM);
                uri.setUriParameter(new NameValue(name, value == null ? "" : value, false));
            } else {
                uri.setUriParameter(new NameValue(name, "", true));
            }
        }
        return c.pos == end ? uri : null;
    }

    private static HostPort hostPort(Cursor c) {
        String host = c.run(HOST);
        if (host == null) {
            return null;
        }
        HostPort hp = new HostPort();
        hp.setHost(new Host(host));
        if (c.take(':')) {
            int port = c.number(5);
            if (port < 0) {
                return null;
            }
            hp.setPort(port);
        }
        return hp;
    }

    /** {@code Digest name=value, name="quoted value", ...}: credentials of a REGISTER or an INVITE. */
    private static <H extends AuthenticationHeader> H credentials(Cursor c, H h) throws ParseException {
        String scheme = c.run(TOKEN);
        if (scheme == null || !c.take(' ')) {
            return null;
        }
        c.spaces();
        h.setScheme(scheme);
        do {
            String name = c.run(TOKEN);
            if (name == null || !c.take('=')) {
                return null;
            }
            NameValue nv;
            if (c.peek() == '"') {
                String value = c.quoted();
                if (value == null) {
                    return null;
                }
                nv = new NameValue(name, value, false);
                nv.setQuotedValue();
            } else {
                String value = c.run(TOKEN);
                if (value == null) {
                    return null;
                }
                nv = new NameValue(name, value, false);
            }
            h.setParameter(nv);
            c.spaces();
        } while (c.nextInList());
        return h;
    }

    private static CallID callId(Cursor c) throws ParseException {
        for (int i = c.pos; i < c.s.length(); i++) {
            char ch = c.s.charAt(i);
            if (!TOKEN[ch] && ch != '@' && ch != ':') {
                return null;
            }
        }
        CallID id = new CallID();
        id.setCallId(c.s.substring(c.pos));
        c.pos = c.s.length();
        return id;
    }

    private static CSeq cseq(Cursor c) throws ParseException, InvalidArgumentException {
        int seq = c.number(9);
        if (seq < 0 || !c.take(' ')) {
            return null;
        }
        c.spaces();
        String method = c.run(TOKEN);
        if (method == null) {
            return null;
        }
        CSeq cseq = new CSeq();
        cseq.setSeqNumber(seq);
        cseq.setMethod(SIPRequest.getCannonicalName(method).intern());
        return cseq;
    }

    private static MaxForwards maxForwards(Cursor c) throws InvalidArgumentException {
        int hops = c.number(3);
        if (hops < 0) {
            return null;
        }
        MaxForwards h = new MaxForwards();
        h.setMaxForwards(hops);
        return h;
    }

    private static ContentLength contentLength(Cursor c) throws InvalidArgumentException {
        int length = c.number(9);
        if (length < 0) {
            return null;
        }
        ContentLength h = new ContentLength();
        h.setContentLength(length);
        return h;
    }

    private static Expires expires(Cursor c) throws InvalidArgumentException {
        int seconds = c.number(9);
        if (seconds < 0) {
            return null;
        }
        Expires h = new Expires();
        h.setExpires(seconds);
        return h;
    }

    private static ContentType contentType(Cursor c) throws ParseException {
        String type = c.run(TOKEN);
        if (type == null || !c.take('/')) {
            return null;
        }
        String subtype = c.run(TOKEN);
        if (subtype == null) {
            return null;
        }
        ContentType h = new ContentType();
        h.setContentType(type);
        h.setContentSubType(subtype);
        while (c.take(';')) {
            String name = c.run(TOKEN);
            if (name == null || !c.take('=')) {
                return null;
            }
            String value = c.run(TOKEN);
            if (value == null) {
                return null;
            }
            h.setParameter(new NameValue(name, value, false));
        }
        return h;
    }

    /** A position in a header line. */
    private static final class Cursor {
        final String s;
        int pos;

        Cursor(String s, int pos) {
            this.s = s;
            this.pos = pos;
        }

        boolean atEnd() {
            return pos == s.length();
        }

        char peek() {
            return pos < s.length() ? s.charAt(pos) : 0;
        }

        boolean take(char ch) {
            if (peek() == ch) {
                pos++;
                return true;
            }
            return false;
        }

        boolean skip(String prefix) {
            if (s.startsWith(prefix, pos)) {
                pos += prefix.length();
                return true;
            }
            return false;
        }

        void spaces() {
            while (peek() == ' ') {
                pos++;
            }
        }

        /**
         * At a {@code "}: the quoted string's content, the cursor after its closing quote; null when it is
         * unterminated or has a backslash (escapes are left to the RI).
         */
        String quoted() {
            int close = s.indexOf('"', pos + 1);
            if (close < 0 || s.lastIndexOf('\\', close) > pos) {
                return null;
            }
            String content = s.substring(pos + 1, close);
            pos = close + 1;
            return content;
        }

        /** After one item of a list: a comma (and spaces) before the next, or the end. */
        boolean nextInList() {
            if (!take(',')) {
                return false;
            }
            spaces();
            return true;
        }

        /** The longest run of the given characters from here (null when empty). */
        String run(boolean[] allowed) {
            int start = pos;
            while (pos < s.length() && s.charAt(pos) < 128 && allowed[s.charAt(pos)]) {
                pos++;
            }
            return pos == start ? null : s.substring(start, pos);
        }

        /** Up to {@code maxDigits} decimal digits as a number, or -1 when there are none or more. */
        int number(int maxDigits) {
            int start = pos;
            int value = 0;
            while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
                value = value * 10 + s.charAt(pos) - '0';
                pos++;
            }
            return pos == start || pos - start > maxDigits ? -1 : value;
        }
    }
}

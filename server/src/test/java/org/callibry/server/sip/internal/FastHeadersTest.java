package org.callibry.server.sip.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.ParserFactory;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link FastHeaders} against JAIN-SIP's own parser: every line it takes must come out field for field as the
 * RI's object (compared by reflection over the whole object graph, and by the encoded text), every line it
 * declines goes to the RI unchanged, and the lines user agents send in calls and registrations are taken.
 */
class FastHeadersTest {
    /** Lines as SIPp, JAIN-SIP user agents, baresip and our own stack send them: all taken by the fast path. */
    static final List<String> TAKEN = List.of(
            "Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-4242-1-0",
            "Via: SIP/2.0/UDP 192.168.1.10:5060;rport;branch=z9hG4bKa8f3c1",
            "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1;received=127.0.0.1;rport=5062",
            "Via: SIP/2.0/TCP pbx.example.com;branch=z9hG4bK776asdhds",
            "Via: SIP/2.0/UDP 127.0.0.1:25060;branch=z9hG4bKcb1.a,SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-1",
            "Via: SIP/2.0/UDP 127.0.0.1:25060;branch=z9hG4bKcb1.a, SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-1",
            "v: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-x",
            "VIA: SIP/2.0/udp 127.0.0.1;BRANCH=z9hG4bK-x",
            "Max-Forwards: 70",
            "Max-Forwards: 0",
            "From: <sip:uac@127.0.0.1:5061>;tag=1",
            "From: <sip:user12@127.0.0.1>;tag=77",
            "From: \"Alice\" <sip:alice@atlanta.example.com>;tag=1928301774",
            "From: \"Desk 1001\" <sip:1001@pbx.callibry.test>;tag=a1",
            "From: Bob <sips:bob@biloxi.example.com>;tag=a6c85cf",
            "f: <sip:1001@pbx.callibry.test;transport=udp>;tag=x",
            "To: <sip:uas@127.0.0.1:25060>",
            "To: <sip:uas@127.0.0.1:25060>;tag=4242u1",
            "To: <sip:+14155550100@gw.example.com;user=phone>",
            "t: <sip:1002@pbx.callibry.test>",
            "Call-ID: 1-4242@127.0.0.1",
            "Call-ID: a84b4c76e66710@pc33.atlanta.example.com",
            "i: f81d4fae-7dec-11d0-a765-00a0c91e6bf6@foo.bar.com",
            "CSeq: 1 INVITE",
            "CSeq: 2 BYE",
            "CSeq: 314159 REGISTER",
            "CSeq: 7  ACK",
            "CSeq: 12 SUBSCRIBE",
            "Contact: <sip:uac@127.0.0.1:5061>",
            "Contact: <sip:user3@127.0.0.1:5061>;expires=3600",
            "Contact: <sip:alice@192.168.1.10:5060;transport=udp>;expires=600;q=0.7",
            "Contact: <sip:a@10.0.0.1>, <sip:a@10.0.0.2>;q=0.5",
            "m: <sip:1001@192.0.2.11:5062;transport=tcp>;expires=300",
            "Record-Route: <sip:127.0.0.1:25060;lr>",
            "Record-Route: <sip:127.0.0.1:25060;lr;callibry=a1b2>, <sip:proxy.example.com;lr>",
            "Route: <sip:127.0.0.1:25060;lr>",
            "Route: <sip:p1.example.com;lr>,<sip:p2.example.com;lr>",
            "Content-Type: application/sdp",
            "Content-Type: text/plain;charset=UTF-8",
            "c: application/sdp",
            "Content-Length: 0",
            "Content-Length: 129",
            "l: 42",
            "Expires: 3600",
            "Expires: 0",
            "Authorization: Digest username=\"user7\",realm=\"bench.local\",nonce=\"MTczMzU4.x\",uri=\"sip:127.0.0.1:25060\","
                    + "response=\"0123456789abcdef0123456789abcdef\",algorithm=MD5",
            "Authorization: Digest username=\"1001\", realm=\"pbx.callibry.test\", nonce=\"abc\", uri=\"sip:pbx.callibry.test\", "
                    + "response=\"0123\", algorithm=MD5, cnonce=\"0a4f113b\", qop=auth, nc=00000001",
            "Proxy-Authorization: Digest username=\"1001\", realm=\"pbx\", nonce=\"n\", uri=\"sip:1002@pbx\", response=\"r\"");

    /** Lines the fast path leaves to the RI: unusual forms, and errors the RI reports. */
    static final List<String> LEFT = List.of(
            "Via: SIP/2.0/UDP [2001:db8::10]:5062;branch=z9hG4bK-6",
            "Via: SIP / 2.0 / UDP 127.0.0.1;branch=z9hG4bK-7",
            "Via: SIP/2.0/UDP 127.0.0.1;branch",
            "Via: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK-x (a comment)",
            "Via: SIP/2.0/UDP 127.0.0.1;x=\"quoted\"",
            "Via: SIP/2.0/UDP 127.0.0.1:99999999;branch=z9hG4bK-x",
            "From: sip:alice@atlanta.example.com;tag=1",
            "From: \"Bob \\\"the\\\" Builder\" <sip:bob@example.com>;tag=2",
            "From: <sip:alice;day=tue@atlanta.example.com>;tag=1",
            "From: <sip:%61lice@atlanta.example.com>;tag=1",
            "From: <sip:alice:secret@atlanta.example.com>;tag=1",
            "From: <tel:+14155550100>;tag=1",
            "From: <sip:alice@atlanta.example.com?Subject=x>;tag=1",
            "From: < sip:alice@atlanta.example.com >;tag=1",
            "From: Zoë <sip:zoe@example.com>;tag=1",
            "To: <sip:bob@biloxi.example.com> ; tag=1",
            "Contact: *",
            "Contact: <sip:a@10.0.0.1>;+sip.instance=\"<urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6>\"",
            "Contact: \"Mr. Watson\" <sip:watson@worcester.bell-telephone.com>;q=0.7; expires=3600",
            "CSeq: 99999999999 INVITE",
            "CSeq: 1",
            "CSeq: INVITE",
            "Max-Forwards: 256",
            "Max-Forwards: 1000",
            "Content-Length: 99999999999999999999",
            "Content-Length: -1",
            "Content-Type: multipart/mixed;boundary=\"x y\"",
            "Content-Type: application",
            "Call-ID: two words",
            "Expires: Thu, 01 Dec 1994 16:00:00 GMT",
            "Route: <sip:[2001:db8::1]:5060;lr>",
            "Record-Route: <sip:127.0.0.1:25060;lr>,",
            "Subject: lunch",
            "User-Agent: Callibry",
            "Via:",
            "Authorization: Digest username=\"us\\\"er\", realm=\"bench.local\"",
            "Authorization: Digest username = \"user1\"",
            "Authorization: Digest username=\"user1\",",
            "Authorization: Digest");

    static Stream<String> taken() {
        return TAKEN.stream();
    }

    static Stream<String> all() {
        return Stream.concat(TAKEN.stream(), LEFT.stream());
    }

    @ParameterizedTest
    @MethodSource("taken")
    void takesTheLinesOfCallsAndRegistrations(String line) {
        assertThat(FastHeaders.header(line)).as(line).isNotNull();
    }

    @ParameterizedTest
    @MethodSource("all")
    void whatItTakesIsTheRisObjectAndTheRestGoesToTheRi(String line) throws ParseException {
        SIPHeader fast = FastHeaders.header(line);
        if (fast == null) {
            return; // the RI's parser reads it, as before: nothing to compare
        }
        SIPHeader ri = ParserFactory.createParser(line + "\n").parse();
        assertSameGraph(fast, ri, line);
        assertThat(fast.encode()).as(line).isEqualTo(ri.encode());
    }

    @Test
    void linesOutsideThePlainFormsAreLeftToTheRi() {
        assertThat(LEFT).allSatisfy(line -> assertThat(FastHeaders.header(line)).as(line).isNull());
    }

    @Test
    void startLinesAreTheRisObjects() throws ParseException {
        for (String line : List.of("INVITE sip:uas@127.0.0.1:25060 SIP/2.0", "REGISTER sip:127.0.0.1:25060 SIP/2.0",
                "ACK sip:uas@127.0.0.1:5070;transport=udp SIP/2.0", "BYE sips:bob@192.0.2.4;ob SIP/2.0",
                "OPTIONS sip:pbx.callibry.test SIP/2.0")) {
            Object fast = FastHeaders.requestLine(line);
            assertThat(fast).as(line).isNotNull();
            assertSameGraph(fast, new gov.nist.javax.sip.parser.RequestLineParser(line + "\n").parse(), line);
        }
        for (String line : List.of("SIP/2.0 200 OK", "SIP/2.0 180 Ringing", "SIP/2.0 401 Unauthorized",
                "SIP/2.0 503 Service Unavailable  ", "SIP/2.0 100")) {
            Object fast = FastHeaders.statusLine(line);
            assertThat(fast).as(line).isNotNull();
            assertSameGraph(fast, new gov.nist.javax.sip.parser.StatusLineParser(line + "\n").parse(), line);
        }
        for (String line : List.of("INVITE sip:alice;day=tue@example.com SIP/2.0", "INVITE  sip:a@b SIP/2.0",
                "INVITE sip:a@b SIP/2.1", "INVITE tel:+1555 SIP/2.0", "INVITE sip:[::1] SIP/2.0",
                "INVITE sip:a@b?X=y SIP/2.0")) {
            assertThat(FastHeaders.requestLine(line)).as(line).isNull();
        }
        for (String line : List.of("SIP/2.0 20 OK", "SIP/2.0 2000 OK", "SIP/2.1 200 OK", "SIP/2.0 200OK")) {
            assertThat(FastHeaders.statusLine(line)).as(line).isNull();
        }
    }

    /** Whole messages, ours and the bench's: the same message object with the fast path as without it. */
    @Test
    void wholeMessagesParseAsWithoutTheFastPath() throws IOException, URISyntaxException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of(FastHeadersTest.class.getResource("/sip-torture/INDEX.tsv").toURI()).getParent())) {
            s.filter(p -> p.toString().endsWith(".sip")).sorted().forEach(files::add);
        }
        assertThat(files).hasSizeGreaterThan(30);
        List<byte[]> messages = new ArrayList<>();
        for (Path f : files) {
            messages.add(Files.readAllBytes(f));
        }
        messages.addAll(benchMessages());
        int same = 0;
        for (byte[] m : messages) {
            String name = new String(m, 0, Math.min(60, m.length), StandardCharsets.ISO_8859_1).lines().findFirst().orElse("");
            Object fast = outcome(new StrictMessageParser(true), m);
            Object ri = outcome(new StrictMessageParser(false), m);
            if (ri instanceof String error) {
                assertThat(fast).as(name).isEqualTo(error);
            } else {
                assertThat(fast).as(name).isInstanceOf(SIPMessage.class);
                assertSameGraph(fast, ri, name);
                assertThat(((SIPMessage) fast).encode()).as(name).isEqualTo(((SIPMessage) ri).encode());
                same++;
            }
        }
        assertThat(same).isGreaterThan(20);
    }

    private static Object outcome(StrictMessageParser parser, byte[] m) {
        try {
            return parser.parseSIPMessage(m, true, false, StrictMessageParserTest.LIKE_THE_STACK);
        } catch (ParseException e) {
            return "ParseException: " + e.getMessage();
        }
    }

    private static List<byte[]> benchMessages() {
        String invite = """
                INVITE sip:uas@127.0.0.1:25060 SIP/2.0
                Via: SIP/2.0/UDP 127.0.0.1:16060;branch=z9hG4bK-4242-1-0
                Max-Forwards: 70
                From: <sip:uac@127.0.0.1:16060>;tag=1
                To: <sip:uas@127.0.0.1:25060>
                Call-ID: 1-4242@127.0.0.1
                CSeq: 1 INVITE
                Contact: <sip:uac@127.0.0.1:16060>
                Content-Type: application/sdp
                Content-Length: 129

                v=0
                o=- 1 1 IN IP4 127.0.0.1
                s=-
                c=IN IP4 127.0.0.1
                t=0 0
                m=audio 16100 RTP/AVP 0
                a=rtpmap:0 PCMU/8000
                """;
        String ok = """
                SIP/2.0 200 OK
                Via: SIP/2.0/UDP 127.0.0.1:25060;branch=z9hG4bKcb1.a;received=127.0.0.1,SIP/2.0/UDP 127.0.0.1:16060;branch=z9hG4bK-4242-1-0
                Record-Route: <sip:127.0.0.1:25060;lr>
                From: <sip:uac@127.0.0.1:16060>;tag=1
                To: <sip:uas@127.0.0.1:25060>;tag=4242u1
                Call-ID: 1-4242@127.0.0.1
                CSeq: 1 INVITE
                Contact: <sip:uas@127.0.0.1:16070>
                Content-Length: 0

                """;
        String register = """
                REGISTER sip:127.0.0.1:25060 SIP/2.0
                Via: SIP/2.0/UDP 127.0.0.1:16061;branch=z9hG4bK-77-2-1
                Max-Forwards: 70
                From: <sip:user7@127.0.0.1>;tag=2
                To: <sip:user7@127.0.0.1>
                Call-ID: 2-77@127.0.0.1
                CSeq: 2 REGISTER
                Contact: <sip:user7@127.0.0.1:16061>
                Authorization: Digest username="user7",realm="bench.local",nonce="abc",uri="sip:127.0.0.1:25060",response="0123456789abcdef0123456789abcdef",algorithm=MD5
                Expires: 3600
                Content-Length: 0

                """;
        return Stream.of(invite, ok, register).map(s -> s.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8)).toList();
    }

    // ---------------------------------------------------------------- field-for-field comparison

    static void assertSameGraph(Object fast, Object ri, String what) {
        compare(fast, ri, what + ": " + (ri == null ? "null" : ri.getClass().getSimpleName()), new IdentityHashMap<>());
    }

    private static void compare(Object a, Object b, String path, IdentityHashMap<Object, Object> seen) {
        if (a == b) {
            return;
        }
        if (a == null || b == null) {
            fail("%s: %s vs the RI's %s", path, a, b);
        }
        if (a.getClass() != b.getClass()) {
            fail("%s: %s vs the RI's %s", path, a.getClass().getName(), b.getClass().getName());
        }
        if (seen.put(a, b) != null) {
            return;
        }
        Class<?> type = a.getClass();
        if (type.isArray()) {
            if (a instanceof byte[] x) {
                assertThat(x).as(path).isEqualTo((byte[]) b);
            } else if (a instanceof char[] x) {
                assertThat(x).as(path).isEqualTo((char[]) b);
            } else if (a instanceof Object[] x) {
                Object[] y = (Object[]) b;
                assertThat(x.length).as(path + " length").isEqualTo(y.length);
                for (int i = 0; i < x.length; i++) {
                    compare(x[i], y[i], path + "[" + i + "]", seen);
                }
            } else {
                fail("%s: array of %s not compared", path, type.getComponentType());
            }
        } else if (a instanceof Map<?, ?> x) {
            Map<?, ?> y = (Map<?, ?>) b;
            assertThat(x.keySet()).as(path + " keys").isEqualTo(y.keySet());
            for (Object k : x.keySet()) {
                compare(x.get(k), y.get(k), path + "[" + k + "]", seen);
            }
        } else if (a instanceof Collection<?> x) {
            Collection<?> y = (Collection<?>) b;
            assertThat(x.size()).as(path + " size").isEqualTo(y.size());
            Iterator<?> i = x.iterator();
            Iterator<?> j = y.iterator();
            for (int n = 0; i.hasNext(); n++) {
                compare(i.next(), j.next(), path + "[" + n + "]", seen);
            }
        } else if (type.getName().startsWith("java.")) {
            assertThat(a).as(path).isEqualTo(b);
        } else {
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (Modifier.isStatic(f.getModifiers())) {
                        continue;
                    }
                    f.setAccessible(true);
                    try {
                        compare(f.get(a), f.get(b), path + "." + f.getName(), seen);
                    } catch (IllegalAccessException e) {
                        throw new AssertionError(e);
                    }
                }
            }
        }
    }
}

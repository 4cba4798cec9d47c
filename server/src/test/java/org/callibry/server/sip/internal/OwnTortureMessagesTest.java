package org.callibry.server.sip.internal;

import static org.assertj.core.api.Assertions.assertThat;

import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sip.address.SipURI;
import javax.sip.header.ContactHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.ExtensionHeader;
import javax.sip.header.SubjectHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our own SIP torture messages, which always run (the RFC 4475 files are third-party text and need
 * {@code -Dcallibry.testdata}, see {@link StrictMessageParserTest}). They are in
 * {@code src/test/resources/sip-torture}: one file per message, wire bytes with CRLF line endings,
 * composed for Callibry from the RFC 3261 grammar in the categories of RFC 4475. {@code INDEX.tsv}
 * gives each file's category, what RFC 3261 asks of a proxy and registrar ({@code rfc}: accept, a
 * status code, or drop for a response) and what Callibry does ({@code callibry}: accept, or the code
 * and the layer giving it: parser, RequestValve, stack, Registrar). Each message goes through the
 * layers in the stack's order: {@link StrictMessageParser} with JAIN-SIP's handling of bad headers,
 * the message channel's drop of a message lacking a header transactions need, {@link RequestValve},
 * and the required-header check of {@code getNewServerTransaction} (after which {@code SipService}
 * answers 400); the Registrar's rule is checked on the parsed request.
 *
 * <p>Scenarios covered:
 * <ul>
 * <li>valid (RFC 4475 §3.1.1): INVITE with SDP; REGISTER in compact header names; IPv6 references; a
 * 180 with two Vias in one header; a UTF-8 MESSAGE body counted in octets;</li>
 * <li>unusual but valid: line folding, also with a single HTAB; escaped URI octets and a
 * telephone-subscriber user; unknown headers (empty value, every token symbol in the name); UTF-8
 * display names with escaped quote and backslash; several values per header and per line; long values
 * (an 8000-octet header, 31 Vias); a lower-case method; mixed-case header names and whitespace around
 * every separator; empty lines before the request line;</li>
 * <li>invalid (§3.1.2): Content-Length larger than the body, negative, 2^64 in compact form; CSeq not a
 * number, CSeq not below 2^31; Via port in letters; IPv6 without brackets; SIP/7.0; headers in the
 * Request-URI; a two-digit status code; Call-ID in long and compact form;</li>
 * <li>transaction layer (§3.2): a branch without the magic cookie; an ACK matching no transaction; a
 * CANCEL whose CSeq says INVITE;</li>
 * <li>application layer (§3.3): no CSeq; Max-Forwards not a number; unknown Request-URI scheme;
 * unsupported Proxy-Require; Contact * with Expires 3600; a body without Content-Type.</li>
 * </ul>
 * As Netty's decoder tests do, each message also runs with bare LF line endings in its header section
 * (the body keeps its octets): the outcome must not depend on the line ending.
 *
 * <p>Where Callibry does not do what RFC 3261 asks, the index shows it (rfc and callibry differ) and
 * {@link #KNOWN_DEVIATIONS} says why; the test asserts the behaviour as it is, so a fix shows up as a
 * failure asking to update both.
 */
class OwnTortureMessagesTest {
    private static final Set<String> CATEGORIES = Set.of("valid", "unusual", "invalid", "transaction", "application");

    /** Messages Callibry does not handle as RFC 3261 asks, and why. */
    static final Map<String, String> KNOWN_DEVIATIONS = Map.of(
            "unusual-folding-single-htab.sip", "JAIN-SIP joins a folded line by dropping its first whitespace character"
                    + " instead of putting one SP there (RFC 3261 §7.3.1): SIP/2.0/UDP and the host run together, the Via"
                    + " is unreadable and the request gets 400; the display name reads Desk1017",
            "invalid-content-length-overflow.sip", "JAIN-SIP has no header class for compact names (l, v, f, t, i, m), so"
                    + " an unreadable compact header is dropped like an unknown one instead of failing the message: the"
                    + " request goes on with Content-Length 0 and its body ignored",
            "invalid-cseq-not-below-2-31.sip", "JAIN-SIP takes CSeq numbers up to 2^32-1 and no later layer checks"
                    + " RFC 3261 §8.1.1.5's limit",
            "invalid-ipv6-without-brackets.sip", "JAIN-SIP reads a bare IPv6 address as a host and adds the brackets;"
                    + " in the Via it even takes the port for part of the address ([2001:db8::10:5060])",
            "invalid-status-code-two-digits.sip", "JAIN-SIP reads any number as a status code; no layer drops a"
                    + " response whose code has no class",
            "application-missing-cseq.sip", "JAIN-SIP's message channels drop a request lacking From, To, Call-ID,"
                    + " CSeq or Via without an answer, where RFC 4475 §3.3.1 asks for 400 (as insuf.dat in Rfc4475IT)");

    /** Messages whose outcome changes when their lines end in bare LF, and why. */
    static final Map<String, String> LF_DEVIATIONS = Map.of(
            "invalid-call-id-long-and-compact.sip", "StrictMessageParser.checkRaw splits the header section on CRLF"
                    + " only: with bare LF it sees one line, so its checks (repeated single-value headers, Date in GMT,"
                    + " address rules, whitespace after the version) do not run and the second Call-ID goes unnoticed");

    /** One line of INDEX.tsv. */
    record Message(String file, String category, String rfc, String callibry, String scenario) {
        byte[] bytes() {
            return OwnTortureMessagesTest.bytes(file);
        }

        @Override
        public String toString() {
            return file;
        }
    }

    static Path dir() {
        try {
            return Path.of(OwnTortureMessagesTest.class.getResource("/sip-torture/INDEX.tsv").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Message> index() throws IOException {
        List<Message> out = new ArrayList<>();
        for (String line : Files.readAllLines(dir().resolve("INDEX.tsv"), StandardCharsets.UTF_8)) {
            String[] f = line.split("\t");
            if (!f[0].equals("file")) {
                assertThat(f).as(line).hasSize(5);
                out.add(new Message(f[0], f[1], f[2], f[3], f[4]));
            }
        }
        return out;
    }

    static Stream<Arguments> messages() throws IOException {
        return index().stream().map(m -> Arguments.of(m.file(), m.category(), m.callibry(), m.scenario(), m));
    }

    // ---------------------------------------------------------------- the index and the files

    @Test
    void indexListsEveryMessageFileOnceAndCoversEveryCategory() throws IOException {
        List<Message> index = index();
        List<String> files;
        try (Stream<Path> s = Files.list(dir())) {
            files = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sip")).sorted().toList();
        }
        assertThat(index).extracting(Message::file).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(files);
        assertThat(index).hasSizeBetween(25, 40);
        assertThat(index).extracting(Message::category).containsOnlyElementsOf(CATEGORIES);
        assertThat(index.stream().map(Message::category).collect(Collectors.toSet())).isEqualTo(CATEGORIES);
        assertThat(index).extracting(Message::callibry)
                .allMatch(o -> o.equals("accept") || o.matches("(\\d{3}|drop) by (parser|RequestValve|stack|Registrar)"));
    }

    @Test
    void messagesAreWireBytesWithCrlfLineEndings() throws IOException {
        for (Message m : index()) {
            String text = new String(m.bytes(), StandardCharsets.ISO_8859_1);
            assertThat(text).as(m.file()).contains("\r\n\r\n").doesNotContainPattern("[^\r]\n").doesNotContainPattern("\r[^\n]");
        }
    }

    @Test
    void everyDeviationFromTheRfcIsKnownWithItsReason() throws IOException {
        Set<String> differing = new TreeSet<>();
        for (Message m : index()) {
            String done = m.callibry().equals("accept") ? "accept" : m.callibry().substring(0, m.callibry().indexOf(' '));
            if (!done.equals(m.rfc())) {
                differing.add(m.file());
            }
        }
        assertThat(differing).isEqualTo(new TreeSet<>(KNOWN_DEVIATIONS.keySet()));
    }

    // ---------------------------------------------------------------- the outcome of each message

    @ParameterizedTest(name = "{0} ({1}): {2}")
    @MethodSource("messages")
    void eachMessageGetsTheOutcomeOfTheIndex(String file, String category, String callibry, String scenario, Message m) {
        assertThat(outcome(m.bytes())).as("%s: %s", file, scenario).isEqualTo(expected(m));
    }

    @ParameterizedTest(name = "{0} ({1}): {2}")
    @MethodSource("messages")
    void bareLfLineEndingsGiveTheSameOutcome(String file, String category, String callibry, String scenario, Message m)
            throws ParseException {
        byte[] crlf = m.bytes();
        byte[] lf = withBareLf(crlf);
        if (LF_DEVIATIONS.containsKey(file)) {
            assertThat(outcome(lf)).as("%s with LF: known deviation, %s", file, LF_DEVIATIONS.get(file)).isEqualTo("accept");
            return;
        }
        assertThat(outcome(lf)).as("%s with LF", file).isEqualTo(expected(m));
        if (!outcome(crlf).contains("parser")) {
            assertThat(parse(lf).encode()).as("%s parsed from LF and from CRLF", file).isEqualTo(parse(crlf).encode());
        }
    }

    /** What the index says Callibry does, as {@link #outcome} sees it. */
    private static String expected(Message m) {
        // the Registrar is past the layers run here: the request reaches it (its rule is asserted below)
        return m.callibry().endsWith(" by Registrar") ? "accept" : m.callibry();
    }

    // ---------------------------------------------------------------- what is read from the messages

    @Test
    void contentLengthCountsTheOctetsOfAUtf8Body() throws ParseException {
        SIPMessage m = parse("valid-message-utf8-body.sip");
        String text = new String(m.getRawContent(), StandardCharsets.UTF_8);
        assertThat(text).isEqualTo("Привет! Zoë says hi \u2014 \uD83D\uDC4B");
        assertThat(m.getContentLength().getContentLength()).isEqualTo(m.getRawContent().length).isGreaterThan(text.length());
    }

    @Test
    void compactHeaderNamesReadAsTheirLongForms() throws ParseException {
        SIPRequest r = (SIPRequest) parse("valid-register-compact-forms.sip");
        assertThat(r.getTopmostVia().getTransport()).isEqualTo("TCP");
        assertThat(r.getFrom().getTag()).isEqualTo("77c3");
        assertThat(r.getCallId().getCallId()).isEqualTo("reg-compact-0d93@192.0.2.11");
        assertThat(((ContactHeader) r.getHeader(ContactHeader.NAME)).getExpires()).isEqualTo(300);
        assertThat(r.getHeader("Supported")).isNotNull();
        assertThat(r.getContentLength().getContentLength()).isZero();
    }

    @Test
    void ipv6ReferencesKeepTheirBracketsAndPorts() throws ParseException {
        SIPRequest r = (SIPRequest) parse("valid-options-ipv6.sip");
        SipURI uri = (SipURI) r.getRequestURI();
        assertThat(uri.getHost()).isEqualTo("[2001:db8::20]");
        assertThat(uri.getPort()).isEqualTo(5060);
        assertThat(r.getTopmostVia().getHost()).isEqualTo("[2001:db8::10]");
        assertThat(r.getTopmostVia().getPort()).isEqualTo(5062);
    }

    @Test
    void foldedLinesReadAsOneLine() throws ParseException {
        SIPRequest r = (SIPRequest) parse("unusual-line-folding.sip");
        assertThat(r.getTopmostVia().getBranch()).isEqualTo("z9hG4bK.f6a0d1");
        assertThat(r.getFrom().getAddress().getDisplayName()).isEqualTo("Desk 1001");
        assertThat(r.getTo().getAddress().getURI()).hasToString("sip:1002@pbx.callibry.test");
        assertThat(r.getCSeq().getSeqNumber()).isEqualTo(102);
        assertThat(r.getCSeq().getMethod()).isEqualTo("INVITE");
        // RFC 3261 §7.3.1 reads the fold as one SP; JAIN-SIP keeps the extra leading whitespace
        assertThat(((SubjectHeader) r.getHeader(SubjectHeader.NAME)).getSubject())
                .isEqualToNormalizingWhitespace("a subject that goes on over two lines");
    }

    @Test
    void foldWithASingleHtabIsAKnownDeviation() {
        assertThat(outcome(bytes("unusual-folding-single-htab.sip"))).as(KNOWN_DEVIATIONS.get("unusual-folding-single-htab.sip"))
                .isEqualTo("400 by parser");
    }

    @Test
    void escapedUriOctetsCompareEqualToTheirCharacters() throws ParseException {
        SIPRequest r = (SIPRequest) parse("unusual-escaped-uri.sip");
        SipURI uri = (SipURI) r.getRequestURI();
        assertThat(uri.getUser()).isEqualTo("%31%30%30%32");
        // RFC 3261 §19.1.4: an escaped octet equals the character it stands for
        assertThat(uri).isEqualTo(new gov.nist.javax.sip.address.AddressFactoryImpl().createURI("sip:1002@pbx.callibry.test;x-note=a%20b"));
        assertThat(((SipURI) r.getTo().getAddress().getURI()).getUser()).isEqualTo("+1-201-555-0123;postd=pp22");
        assertThat(((SipURI) r.getTo().getAddress().getURI()).getParameter("user")).isEqualTo("phone");
    }

    @Test
    void unknownHeadersAreKeptWithTheirValues() throws ParseException {
        SIPRequest r = (SIPRequest) parse("unusual-unknown-headers.sip");
        assertThat(extension(r, "X-Empty")).isEmpty();
        assertThat(extension(r, "X-Trace.id_v2!%*+`'~")).isEqualTo("5; some=thing, \"quoted, comma\"");
        assertThat(extension(r, "p-made-up-header")).isEqualTo("<sip:x@192.0.2.99>;a=b, <sip:z@192.0.2.98>");
        assertThat(extension(r, "Unknown-Header-With-Tab")).isEqualTo("value after a tab");
    }

    @Test
    void utf8DisplayNamesAndSubjectAreReadAsUtf8() throws ParseException {
        SIPRequest r = (SIPRequest) parse("unusual-utf8-display-names.sip");
        assertThat(r.getFrom().getAddress().getDisplayName()).isEqualTo("Алиса Смирнова");
        // quoted-pairs stay escaped in the display name, so it is written back as it came
        assertThat(r.getTo().getAddress().getDisplayName()).isEqualTo("Zoë \\\"Z\\\" O'Brien \\\\ 東京");
        assertThat(r.getTo().toString()).contains("\"Zoë \\\"Z\\\" O'Brien \\\\ 東京\"");
        assertThat(((ContactHeader) r.getHeader(ContactHeader.NAME)).getAddress().getDisplayName()).isEqualTo("Jürgen");
        assertThat(((SubjectHeader) r.getHeader(SubjectHeader.NAME)).getSubject()).isEqualTo("Звонок по заказу №42");
    }

    @Test
    void everyValueOfARepeatedOrCommaSeparatedHeaderIsKeptInOrder() throws ParseException {
        SIPRequest r = (SIPRequest) parse("unusual-multiple-values.sip");
        assertThat(r.getViaHeaders()).extracting(v -> ((Via) v).getBranch()).containsExactly("z9hG4bK.mv10a", "z9hG4bK.mv10b", "z9hG4bK.mv10c");
        assertThat(values(r, ContactHeader.NAME)).hasSize(3);
        assertThat(values(r, "Supported")).extracting(h -> ((javax.sip.header.SupportedHeader) h).getOptionTag())
                .containsExactly("path", "gruu", "outbound");
        assertThat(values(r, "Allow")).extracting(h -> ((javax.sip.header.AllowHeader) h).getMethod())
                .containsExactly("INVITE", "ACK", "BYE", "CANCEL");
    }

    @Test
    void longValuesAreKeptWhole() throws ParseException {
        SIPRequest r = (SIPRequest) parse("unusual-long-values.sip");
        assertThat(extension(r, "X-Padding")).hasSize(8000);
        assertThat(r.getViaHeaders()).hasSize(31);
        assertThat(r.getCallId().getCallId()).hasSize(588);
        assertThat(((SipURI) r.getRequestURI()).getUser()).hasSize(304).isEqualTo(((SipURI) r.getFrom().getAddress().getURI()).getUser());
    }

    @Test
    void aLowerCaseMethodIsAnUnknownMethodNotAnInvite() throws ParseException {
        SIPRequest r = (SIPRequest) parse("unusual-lowercase-method.sip");
        assertThat(r.getMethod()).isEqualTo("invite").isNotEqualTo("INVITE");
        assertThat(r.getCSeq().getMethod()).isEqualTo("invite");
        // known deviation: JAIN-SIP writes a CSeq method in capitals, so the 501 does not copy the
        // request's CSeq (RFC 3261 §8.2.6.2) and a case-sensitive client cannot match it
        assertThat(r.createResponse(501).getCSeq().toString().strip()).isEqualTo("CSeq: 13 INVITE");
    }

    @Test
    void whitespaceAroundSeparatorsAndHeaderNameCaseDoNotMatter() throws ParseException {
        SIPRequest r = (SIPRequest) parse("unusual-header-case-and-whitespace.sip");
        Via via = r.getTopmostVia();
        assertThat(via.getTransport()).isEqualTo("UDP");
        assertThat(via.getHost()).isEqualTo("192.0.2.16");
        assertThat(via.getPort()).isEqualTo(5060);
        assertThat(via.getBranch()).isEqualTo("z9hG4bK.hc14");
        assertThat(r.getFrom().getTag()).isEqualTo("hc-14");
        assertThat(r.getCallId().getCallId()).isEqualTo("case-ws-77b0@192.0.2.16");
        assertThat(r.getCSeq().getSeqNumber()).isEqualTo(14);
        assertThat(r.getMaxForwards().getMaxForwards()).isEqualTo(70);
    }

    @Test
    void registerWithContactStarAndNonZeroExpiresReachesTheRegistrarWhichRefusesIt() throws ParseException {
        // RFC 3261 §10.3 step 6, Registrar.bind: "*" only with Expires 0 and no other Contact, else 400
        SIPRequest r = (SIPRequest) parse("application-register-wildcard-with-expires.sip");
        assertThat(outcome(bytes("application-register-wildcard-with-expires.sip"))).isEqualTo("accept");
        assertThat(((ContactHeader) r.getHeader(ContactHeader.NAME)).isWildCard()).isTrue();
        assertThat(((ExpiresHeader) r.getHeader(ExpiresHeader.NAME)).getExpires()).isEqualTo(3600);
    }

    @Test
    void anUnreadableCompactContentLengthIsDroppedWithTheBodyAKnownDeviation() throws ParseException {
        SIPRequest r = (SIPRequest) parse("invalid-content-length-overflow.sip");
        assertThat(r.getContentLength().getContentLength()).as(KNOWN_DEVIATIONS.get("invalid-content-length-overflow.sip")).isZero();
        assertThat(r.getRawContent()).isNull();
    }

    @Test
    void aBareIpv6ViaSwallowsItsPortAKnownDeviation() throws ParseException {
        SIPRequest r = (SIPRequest) parse("invalid-ipv6-without-brackets.sip");
        assertThat(r.getTopmostVia().getHost()).as(KNOWN_DEVIATIONS.get("invalid-ipv6-without-brackets.sip")).isEqualTo("[2001:db8::10:5060]");
        assertThat(((SipURI) r.getRequestURI()).getHost()).isEqualTo("[2001:db8::20]");
    }

    // ---------------------------------------------------------------- the layers

    /**
     * What the layers before the application do with these bytes, in the stack's order: "accept", or
     * "CODE by LAYER" ("drop by ..." for a message left unanswered).
     */
    static String outcome(byte[] wire) {
        SIPMessage m;
        try {
            m = new StrictMessageParser().parseSIPMessage(wire, true, false, StrictMessageParserTest.LIKE_THE_STACK);
        } catch (ParseException e) {
            // the stack puts the text in the 400's reason phrase
            assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("\r").doesNotContain("[C@");
            return (new String(wire, StandardCharsets.ISO_8859_1).strip().startsWith("SIP/") ? "drop" : "400") + " by parser";
        }
        assertThat(m).isNotNull();
        if (m.getFrom() == null || m.getTo() == null || m.getCallId() == null || m.getCSeq() == null || m.getTopmostVia() == null) {
            return "drop by stack"; // the message channels drop it (UDPMessageChannel, ConnectionOrientedMessageChannel)
        }
        if (!(m instanceof SIPRequest r)) {
            return "accept";
        }
        CapturingChannel channel = new CapturingChannel();
        if (!new RequestValve().processRequest(r, channel)) {
            return channel.sent.getStatusCode() + " by RequestValve";
        }
        if (!r.getMethod().equals("ACK")) {
            try {
                r.checkHeaders(); // what getNewServerTransaction checks; SipService answers 400 when it throws
            } catch (ParseException e) {
                return "400 by stack";
            }
        }
        return "accept";
    }

    /** The header section with bare LF line endings; the body keeps its octets. */
    static byte[] withBareLf(byte[] crlf) {
        String text = new String(crlf, StandardCharsets.ISO_8859_1);
        int lead = 0;
        while (text.startsWith("\r\n", lead)) {
            lead += 2;
        }
        int end = text.indexOf("\r\n\r\n", lead) + 4;
        return (text.substring(0, end).replace("\r\n", "\n") + text.substring(end)).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] bytes(String file) {
        try {
            return Files.readAllBytes(dir().resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static SIPMessage parse(String file) throws ParseException {
        return parse(bytes(file));
    }

    private static SIPMessage parse(byte[] wire) throws ParseException {
        return new StrictMessageParser().parseSIPMessage(wire, true, false, StrictMessageParserTest.LIKE_THE_STACK);
    }

    private static String extension(SIPMessage m, String name) {
        return ((ExtensionHeader) m.getHeader(name)).getValue();
    }

    private static List<Object> values(SIPMessage m, String name) {
        List<Object> out = new ArrayList<>();
        for (ListIterator<?> it = m.getHeaders(name); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }

    /** A message channel that keeps what {@link RequestValve} answers instead of sending it. */
    private static final class CapturingChannel extends MessageChannel {
        SIPResponse sent;

        @Override
        public void sendMessage(SIPMessage message) {
            sent = (SIPResponse) message;
        }

        @Override
        protected void sendMessage(byte[] message, InetAddress address, int port, boolean retry) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }

        @Override
        public SIPTransactionStack getSIPStack() {
            return null;
        }

        @Override
        public String getTransport() {
            return "UDP";
        }

        @Override
        public boolean isReliable() {
            return false;
        }

        @Override
        public boolean isSecure() {
            return false;
        }

        @Override
        public String getPeerAddress() {
            return "192.0.2.1";
        }

        @Override
        protected InetAddress getPeerInetAddress() {
            return InetAddress.getLoopbackAddress();
        }

        @Override
        protected String getPeerProtocol() {
            return "UDP";
        }

        @Override
        public int getPeerPort() {
            return 5060;
        }

        @Override
        public int getPeerPacketSourcePort() {
            return 5060;
        }

        @Override
        public InetAddress getPeerPacketSourceAddress() {
            return InetAddress.getLoopbackAddress();
        }

        @Override
        public String getKey() {
            return "test";
        }

        @Override
        public String getViaHost() {
            return "127.0.0.1";
        }

        @Override
        public int getViaPort() {
            return 5060;
        }
    }
}

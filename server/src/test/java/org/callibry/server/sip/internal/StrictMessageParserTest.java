package org.callibry.server.sip.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.Set;
import java.util.stream.Stream;
import org.callibry.server.testing.Rfc4475Messages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The 49 RFC 4475 messages through the parser alone: valid ones parse, invalid ones are parse errors
 * (answered 400 by the stack) unless a later layer refuses them, as listed here; the same files go
 * over UDP in {@code Rfc4475IT}. They are third-party text, read from {@code -Dcallibry.testdata}
 * (see {@link Rfc4475Messages}): without it this class is skipped, and our own messages in
 * {@link OwnTortureMessagesTest} still run.
 */
class StrictMessageParserTest {
    /** Invalid messages that parse, and the layer that refuses them. */
    private static final Set<String> REFUSED_AFTER_PARSING = Set.of(
            "escruri.dat",    // RequestValve: headers in the Request-URI, 400
            "badvers.dat",    // RequestValve: SIP/7.0, 505
            "mismatch01.dat", // JAIN-SIP transaction layer: CSeq method differs, 400
            "mismatch02.dat"); // same

    /**
     * Like JAIN-SIP's message channels: a broken header the transaction layer needs is fatal, others
     * are dropped with the header.
     */
    static final gov.nist.javax.sip.parser.ParseExceptionListener LIKE_THE_STACK = (ex, message, headerClass, header, text) -> {
        if (headerClass == gov.nist.javax.sip.header.From.class || headerClass == gov.nist.javax.sip.header.To.class
                || headerClass == gov.nist.javax.sip.header.CallID.class || headerClass == gov.nist.javax.sip.header.Via.class
                || headerClass == gov.nist.javax.sip.header.RequestLine.class || headerClass == gov.nist.javax.sip.header.StatusLine.class
                || headerClass == gov.nist.javax.sip.header.CSeq.class || headerClass == gov.nist.javax.sip.header.ContentLength.class) {
            throw ex;
        }
    };

    /** Application-level messages (RFC 4475 §3.3) that the parser itself refuses. */
    private static final Set<String> REFUSED_BY_PARSER = Set.of("multi01.dat", "mcl01.dat");

    /**
     * Skipped, naming the property, when {@code callibry.testdata} is not set (the argument source below
     * aborts then too); fails when it is set and the files are not there.
     */
    @Test
    void rfc4475IndexListsThe49MessagesWhenTheTestdataPropertyIsSet() throws IOException {
        assertThat(Rfc4475Messages.index()).extracting(Rfc4475Messages.Entry::file).doesNotHaveDuplicates().hasSize(49);
    }

    static Stream<Arguments> messages() throws IOException {
        return Rfc4475Messages.index().stream().map(e -> Arguments.of(e.section(), e.file(), e.kind(), e.path()));
    }

    @ParameterizedTest(name = "{0} {1} ({2})")
    @MethodSource("messages")
    void parsesValidAndRefusesInvalidMessages(String section, String file, String kind, Path path) throws IOException {
        byte[] message = Files.readAllBytes(path);
        StrictMessageParser parser = new StrictMessageParser();
        if (kind.equals("invalid") && !REFUSED_AFTER_PARSING.contains(file) || REFUSED_BY_PARSER.contains(file)) {
            assertThatExceptionOfType(ParseException.class).as(file).isThrownBy(() -> parser.parseSIPMessage(message, true, false, LIKE_THE_STACK))
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("[C@"));
        } else if (!file.equals("insuf.dat")) {
            // insuf lacks From, To and Call-ID: the parser takes it, the stack then drops it (see Rfc4475IT)
            assertThatCode(() -> assertThat(parser.parseSIPMessage(message, true, false, LIKE_THE_STACK)).isNotNull()).as(file)
                    .doesNotThrowAnyException();
        }
    }
}

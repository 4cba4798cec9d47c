package org.callibry.softphone.sip;

import static org.assertj.core.api.Assertions.assertThat;

import gov.nist.javax.sip.parser.StringMsgParser;
import java.nio.charset.StandardCharsets;
import javax.sip.message.Request;
import org.junit.jupiter.api.Test;

/**
 * The queue an incoming INVITE was offered by, read from the wire bytes the server sends. Scenarios:
 * the header as the server writes it; no header (a direct call); the name in another case (RFC 3261
 * §7.3.1); a queue name in UTF-8; white space around the value; the caller's call id and the wait
 * that come with the offer.
 */
class QueueHeaderTest {

    private static Request invite(String extraHeaders) throws Exception {
        String text = "INVITE sip:1001@127.0.0.1:5070 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-q1;rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: \"Anna\" <sip:+74951234567@demo.callibry.test>;tag=a1\r\n"
                + "To: <sip:1001@demo.callibry.test>\r\n"
                + "Call-ID: q1@127.0.0.1\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "Contact: <sip:+74951234567@127.0.0.1:5060>\r\n"
                + extraHeaders
                + "Content-Length: 0\r\n\r\n";
        return (Request) new StringMsgParser().parseSIPMessage(text.getBytes(StandardCharsets.UTF_8), true, false, null);
    }

    @Test
    void theQueueIsTheValueOfTheHeaderTheServerAdds() throws Exception {
        assertThat(InviteSessions.queue(invite("X-Callibry-Queue: Sales\r\n"))).isEqualTo("Sales");
    }

    @Test
    void aDirectCallHasNoQueue() throws Exception {
        assertThat(InviteSessions.queue(invite(""))).isEmpty();
    }

    @Test
    void theHeaderNameIsCaseInsensitive() throws Exception {
        assertThat(InviteSessions.queue(invite("x-callibry-queue: Support line\r\n"))).isEqualTo("Support line");
    }

    @Test
    void aQueueNameInUtf8IsKept() throws Exception {
        assertThat(InviteSessions.queue(invite("X-Callibry-Queue: Продажи\r\n"))).isEqualTo("Продажи");
    }

    @Test
    void whiteSpaceAroundTheValueIsDropped() throws Exception {
        assertThat(InviteSessions.queue(invite("X-Callibry-Queue:   Sales  \r\n"))).isEqualTo("Sales");
    }

    @Test
    void theOfferAlsoNamesTheCallersCallIdAndTheWait() throws Exception {
        Request offer = invite("X-Callibry-Queue: Sales\r\nX-Callibry-Call-Id:  a84b4c76e66710@192.0.2.1 \r\nx-callibry-queue-wait: 42\r\n");
        assertThat(InviteSessions.header(offer, InviteSessions.CALL_ID_HEADER)).isEqualTo("a84b4c76e66710@192.0.2.1");
        assertThat(InviteSessions.header(offer, InviteSessions.WAIT_HEADER)).isEqualTo("42");
        assertThat(InviteSessions.header(invite(""), InviteSessions.CALL_ID_HEADER)).isEmpty();
    }
}

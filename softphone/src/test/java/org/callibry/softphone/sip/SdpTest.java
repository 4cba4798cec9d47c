package org.callibry.softphone.sip;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * SDP offer/answer (RFC 3264) on wire text: our offer's lines, parsing of others' offers (CRLF and LF,
 * media-level and session-level c= and direction, static types without rtpmap, second streams),
 * the answer's codec and direction choice, no common codec, malformed bodies.
 */
class SdpTest {
    private static final String BARESIP_OFFER = """
            v=0\r
            o=- 1234 5678 IN IP4 127.0.0.1\r
            s=-\r
            c=IN IP4 127.0.0.1\r
            t=0 0\r
            m=audio 20012 RTP/AVP 9 8 0 96\r
            a=rtpmap:9 G722/8000\r
            a=rtpmap:96 telephone-event/8000\r
            a=fmtp:96 0-15\r
            a=sendrecv\r
            """;

    @Test
    void offerListsPcmuPcmaAndTelephoneEvent() {
        String offer = Sdp.offer("192.0.2.10", 40000, 77, 2, MediaDirection.SENDRECV);

        assertThat(offer).startsWith("v=0\r\no=callibry 77 2 IN IP4 192.0.2.10\r\n")
                .contains("c=IN IP4 192.0.2.10\r\n", "m=audio 40000 RTP/AVP 0 8 101\r\n", "a=rtpmap:0 PCMU/8000\r\n",
                        "a=rtpmap:8 PCMA/8000\r\n", "a=rtpmap:101 telephone-event/8000\r\n", "a=fmtp:101 0-16\r\n",
                        "a=sendrecv\r\n")
                .endsWith("\r\n");
    }

    @Test
    void heldOfferIsSendonly() {
        assertThat(Sdp.offer("192.0.2.10", 40000, 1, 3, MediaDirection.SENDONLY)).contains("a=sendonly\r\n")
                .doesNotContain("sendrecv");
    }

    @Test
    void parsesOurOwnOffer() {
        SessionDescription d = Sdp.parse(Sdp.offer("10.1.2.3", 30000, 1, 1, MediaDirection.SENDRECV)).orElseThrow();

        assertThat(d.address()).isEqualTo("10.1.2.3");
        assertThat(d.port()).isEqualTo(30000);
        assertThat(d.payloadTypes()).containsExactly(0, 8, 101);
        assertThat(d.telephoneEvent()).isEqualTo(101);
        assertThat(d.firstCodec()).isZero();
        assertThat(d.direction()).isEqualTo(MediaDirection.SENDRECV);
    }

    @Test
    void answerTakesTheOffersFirstSupportedCodecAndItsTelephoneEventType() {
        SessionDescription offer = Sdp.parse(BARESIP_OFFER).orElseThrow();
        String answer = Sdp.answer(offer, "10.0.0.5", 30002, 42, 1, MediaDirection.SENDRECV).orElseThrow();

        assertThat(answer).contains("m=audio 30002 RTP/AVP 8 96\r\n", "a=rtpmap:8 PCMA/8000\r\n",
                "a=rtpmap:96 telephone-event/8000\r\n", "a=sendrecv\r\n", "c=IN IP4 10.0.0.5\r\n");
        assertThat(answer).doesNotContain("PCMU", " 9 ", "101");
    }

    @Test
    void answerWithoutTelephoneEventWhenNotOffered() {
        String offer = "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\nm=audio 5000 RTP/AVP 0\r\n";
        String answer = Sdp.answer(Sdp.parse(offer).orElseThrow(), "5.6.7.8", 6000, 1, 1, MediaDirection.SENDRECV).orElseThrow();

        assertThat(answer).contains("m=audio 6000 RTP/AVP 0\r\n").doesNotContain("telephone-event");
    }

    @Test
    void noAnswerWithoutACommonCodec() {
        String offer = "v=0\r\nc=IN IP4 1.2.3.4\r\nm=audio 5000 RTP/AVP 9 18\r\na=rtpmap:9 G722/8000\r\na=rtpmap:18 G729/8000\r\n";

        assertThat(Sdp.answer(Sdp.parse(offer).orElseThrow(), "5.6.7.8", 6000, 1, 1, MediaDirection.SENDRECV)).isEmpty();
    }

    @Test
    void dynamicPcmuByNameIsAccepted() {
        String offer = "v=0\r\nc=IN IP4 1.2.3.4\r\nm=audio 5000 RTP/AVP 97\r\na=rtpmap:97 pcmu/8000\r\n";

        assertThat(Sdp.answer(Sdp.parse(offer).orElseThrow(), "5.6.7.8", 6000, 1, 1, MediaDirection.SENDRECV).orElseThrow())
                .contains("m=audio 6000 RTP/AVP 97\r\n");
    }

    @Test
    void sendonlyOfferIsAnsweredRecvonlyAndInactiveStaysInactive() {
        String sendonly = BARESIP_OFFER.replace("a=sendrecv", "a=sendonly");
        String inactive = BARESIP_OFFER.replace("a=sendrecv", "a=inactive");

        assertThat(Sdp.answer(Sdp.parse(sendonly).orElseThrow(), "h", 1, 1, 1, MediaDirection.SENDRECV).orElseThrow())
                .contains("a=recvonly\r\n");
        assertThat(Sdp.answer(Sdp.parse(inactive).orElseThrow(), "h", 1, 1, 1, MediaDirection.SENDRECV).orElseThrow())
                .contains("a=inactive\r\n");
    }

    @Test
    void whileWeHoldAnOfferedSendrecvIsAnsweredSendonly() {
        assertThat(Sdp.answer(Sdp.parse(BARESIP_OFFER).orElseThrow(), "h", 1, 1, 1, MediaDirection.SENDONLY).orElseThrow())
                .contains("a=sendonly\r\n");
        assertThat(MediaDirection.SENDONLY.answer(MediaDirection.SENDONLY)).isEqualTo(MediaDirection.INACTIVE);
        assertThat(MediaDirection.RECVONLY.answer(MediaDirection.SENDRECV)).isEqualTo(MediaDirection.SENDONLY);
    }

    @Test
    void mediaLevelConnectionAndDirectionWinOverSessionLevel() {
        String body = "v=0\nc=IN IP4 1.1.1.1\na=sendonly\nt=0 0\nm=audio 4000 RTP/AVP 8\nc=IN IP4 2.2.2.2\na=recvonly\n";

        SessionDescription d = Sdp.parse(body).orElseThrow();

        assertThat(d.address()).isEqualTo("2.2.2.2");
        assertThat(d.direction()).isEqualTo(MediaDirection.RECVONLY);
        assertThat(d.encodings()).containsEntry(8, "PCMA");
    }

    @Test
    void sessionLevelDirectionAppliesWhenTheMediaHasNone() {
        SessionDescription d = Sdp.parse("v=0\nc=IN IP4 1.1.1.1\na=inactive\nm=audio 4000 RTP/AVP 0\n").orElseThrow();

        assertThat(d.direction()).isEqualTo(MediaDirection.INACTIVE);
    }

    @Test
    void oldStyleHoldWithZeroAddressIsSendonly() {
        SessionDescription d = Sdp.parse("v=0\nc=IN IP4 0.0.0.0\nm=audio 4000 RTP/AVP 0\n").orElseThrow();

        assertThat(d.direction()).isEqualTo(MediaDirection.SENDONLY);
    }

    @Test
    void onlyTheFirstAudioStreamCounts() {
        String body = "v=0\nc=IN IP4 1.1.1.1\nm=video 5000 RTP/AVP 96\na=rtpmap:96 H264/90000\n"
                + "m=audio 4000 RTP/AVP 0\nm=audio 4002 RTP/AVP 8\na=sendonly\n";

        SessionDescription d = Sdp.parse(body).orElseThrow();

        assertThat(d.port()).isEqualTo(4000);
        assertThat(d.payloadTypes()).containsExactly(0);
        assertThat(d.direction()).isEqualTo(MediaDirection.SENDRECV);
    }

    @Test
    void malformedOrAudiolessBodiesGiveNothing() {
        assertThat(Sdp.parse(null)).isEmpty();
        assertThat(Sdp.parse("")).isEmpty();
        assertThat(Sdp.parse("v=0\nc=IN IP4 1.1.1.1\nm=video 5000 RTP/AVP 96\n")).isEmpty();
        assertThat(Sdp.parse("v=0\nc=IN IP4 1.1.1.1\nm=audio notaport RTP/AVP 0\n")).isEmpty();
        assertThat(Sdp.parse("v=0\nm=audio 4000 RTP/AVP 0\n")).as("no connection address").isEmpty();
        assertThat(Sdp.parse("v=0\nc=IN\nm=audio 4000 RTP/AVP 0\n")).isEmpty();
    }
}

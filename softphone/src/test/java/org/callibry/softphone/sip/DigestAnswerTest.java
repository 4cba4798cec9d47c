package org.callibry.softphone.sip;

import static org.assertj.core.api.Assertions.assertThat;

import org.callibry.shared.sip.DigestHashes;
import org.junit.jupiter.api.Test;

/** Digest answers: the RFC 2617 §3.5 example, the qop-less form, SHA-256 (RFC 7616), qop and algorithm choice. */
class DigestAnswerTest {
    @Test
    void rfc2617ExampleWithQopAuth() {
        // RFC 2617 §3.5
        String response = DigestAnswer.response("MD5", "Mufasa", "testrealm@host.com", "Circle Of Life", "GET",
                "/dir/index.html", "dcd98b7102dd2f0e8b11d0f600bfb0c093", "auth", "00000001", "0a4f113b");

        assertThat(response).isEqualTo("6629fae49393a05397450978507c4ef1");
    }

    @Test
    void withoutQopTheResponseBindsOnlyTheNonce() {
        String ha1 = DigestHashes.ha1Md5("1001", "demo.callibry.test", "secret");
        String ha2 = DigestHashes.hex("MD5", "REGISTER:sip:demo.callibry.test");
        String expected = DigestHashes.hex("MD5", ha1 + ":abc:" + ha2);

        assertThat(DigestAnswer.response(null, "1001", "demo.callibry.test", "secret", "REGISTER", "sip:demo.callibry.test",
                "abc", null, null, null)).isEqualTo(expected);
    }

    @Test
    void sha256UsesTheSha256Ha1() {
        String ha1 = DigestHashes.ha1Sha256("1001", "r", "pw");
        String ha2 = DigestHashes.hex("SHA-256", "INVITE:sip:1002@r");
        String expected = DigestHashes.hex("SHA-256", ha1 + ":n:00000001:c:auth:" + ha2);

        assertThat(DigestAnswer.response("SHA-256", "1001", "r", "pw", "INVITE", "sip:1002@r", "n", "auth", "00000001", "c"))
                .isEqualTo(expected).hasSize(64);
    }

    @Test
    void choosesAuthAmongQopOptionsAndKnowsItsAlgorithms() {
        assertThat(DigestAnswer.chooseQop("auth-int, auth")).isEqualTo("auth");
        assertThat(DigestAnswer.chooseQop("auth-int")).isNull();
        assertThat(DigestAnswer.chooseQop(null)).isNull();
        assertThat(DigestAnswer.supports(null)).isTrue();
        assertThat(DigestAnswer.supports("md5")).isTrue();
        assertThat(DigestAnswer.supports("SHA-256")).isTrue();
        assertThat(DigestAnswer.supports("SHA-512-256")).isFalse();
        assertThat(DigestAnswer.newCnonce()).hasSize(16).isNotEqualTo(DigestAnswer.newCnonce());
    }
}

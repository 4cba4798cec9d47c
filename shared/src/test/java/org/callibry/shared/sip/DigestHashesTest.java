package org.callibry.shared.sip;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DigestHashesTest {

    @Test
    void md5Ha1MatchesTheRfc2617Example() {
        // RFC 2617 §3.5: user Mufasa, realm testrealm@host.com, password "Circle Of Life"
        assertThat(DigestHashes.ha1Md5("Mufasa", "testrealm@host.com", "Circle Of Life"))
                .isEqualTo("939e7578ed9e3c518a452acee763bce9");
    }

    @Test
    void sha256Ha1IsTheHexDigestOfUserRealmPassword() {
        // RFC 7616 §3.9.1 credentials; SHA-256("Mufasa:http-auth@example.org:Circle of Life")
        assertThat(DigestHashes.ha1Sha256("Mufasa", "http-auth@example.org", "Circle of Life"))
                .isEqualTo("7987c64c30e25f1b74be53f966b49b90f2808aa92faf9a00262392d7b4794232");
    }
}

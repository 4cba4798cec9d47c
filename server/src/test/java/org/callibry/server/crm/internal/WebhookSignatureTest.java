package org.callibry.server.crm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Scenarios: the signature is HMAC-SHA256 of {@code <timestamp>.<body>} in lower-case hex after
 * {@code sha256=} (checked against a value computed independently with openssl); a changed body,
 * timestamp or secret changes it; verification accepts the right one and refuses others.
 */
class WebhookSignatureTest {
    private static final String SECRET = "0123456789abcdef0123456789abcdef";
    private static final String BODY = "{\"id\":\"e1\",\"type\":\"call.offered\"}";

    @Test
    void signsTimestampDotBodyWithHmacSha256InHex() {
        // printf '%s' '1700000000.{"id":"e1","type":"call.offered"}' | openssl dgst -sha256 -hmac 0123456789abcdef0123456789abcdef
        assertThat(WebhookSignature.sign(SECRET, 1_700_000_000L, BODY))
                .isEqualTo("sha256=a62c03736ec58e15c622d1961d50931c7ed74ec3d17b8299ab5415a0fd8ad96e");
    }

    @Test
    void changesWithTheBodyTheTimestampAndTheSecret() {
        String s = WebhookSignature.sign(SECRET, 1_700_000_000L, BODY);
        assertThat(WebhookSignature.sign(SECRET, 1_700_000_001L, BODY)).isNotEqualTo(s);
        assertThat(WebhookSignature.sign(SECRET, 1_700_000_000L, BODY + " ")).isNotEqualTo(s);
        assertThat(WebhookSignature.sign(SECRET + "x", 1_700_000_000L, BODY)).isNotEqualTo(s);
    }

    @Test
    void verifiesTheRightSignatureOnly() {
        String s = WebhookSignature.sign(SECRET, 1_700_000_000L, BODY);
        assertThat(WebhookSignature.verify(SECRET, 1_700_000_000L, BODY, s)).isTrue();
        assertThat(WebhookSignature.verify(SECRET, 1_700_000_060L, BODY, s)).as("replayed with a new timestamp").isFalse();
        assertThat(WebhookSignature.verify(SECRET, 1_700_000_000L, BODY, null)).isFalse();
        assertThat(WebhookSignature.verify(SECRET, 1_700_000_000L, BODY, s.toUpperCase())).isFalse();
    }
}

package org.callibry.softphone.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The Replaces value carried in a Refer-To URI's headers (RFC 3891 §5, RFC 3261 §19.1.1 escaping). */
class ReferToTest {
    @Test
    void replacesValueIsEscapedForTheUriHeadersAndDecodesBack() {
        String replaces = "a84b4c76e66710@pc33.example.com;to-tag=8348;from-tag=1928301774";

        String escaped = Transfers.escape(replaces);

        assertThat(escaped).isEqualTo("a84b4c76e66710%40pc33.example.com%3Bto-tag%3D8348%3Bfrom-tag%3D1928301774")
                .doesNotContain(";", "=", "@", "?", "&", ">");
        assertThat(URLDecoder.decode(escaped, StandardCharsets.UTF_8)).isEqualTo(replaces);
    }

    @Test
    void nonAsciiIsPercentEncodedAsUtf8() {
        assertThat(Transfers.escape("é ")).isEqualTo("%C3%A9%20");
    }
}

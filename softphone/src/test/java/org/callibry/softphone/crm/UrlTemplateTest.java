package org.callibry.softphone.crm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class UrlTemplateTest {

    @Test
    void variablesAreReplacedAndUrlEncoded() {
        UrlTemplate t = new UrlTemplate("https://crm.example/card?phone={caller}&name={callerName}&id={callId}&dir={direction}");
        assertThat(t.expand(Map.of("caller", "+7 495 123-45-67", "callerName", "Анна & Co", "callId", "a@b", "direction", "in")))
                .isEqualTo("https://crm.example/card?phone=%2B7%20495%20123-45-67&name=%D0%90%D0%BD%D0%BD%D0%B0%20%26%20Co"
                        + "&id=a%40b&dir=in");
    }

    @Test
    void aVariableWithoutValueBecomesEmpty() {
        assertThat(new UrlTemplate("http://x/?q={queue}&a={agent}").expand(Map.of("agent", "1001"))).isEqualTo("http://x/?q=&a=1001");
    }

    @Test
    void anUnknownVariableIsRefusedWithTheKnownOnes() {
        assertThatThrownBy(() -> new UrlTemplate("http://x/?q={phone}")).hasMessageContaining("unknown variable {phone}")
                .hasMessageContaining("{caller}");
    }

    @Test
    void theServersAddressGoesInAsItIsAndTheConsoleIsTheDefault() {
        assertThat(new UrlTemplate(UrlTemplate.CONSOLE).expand(java.util.Map.of("apiUrl", "https://pbx.example:8443", "callId", "a b@c",
                "caller", "+7", "queue", "Sales", "wait", "5", "language", "en")))
                .isEqualTo("https://pbx.example:8443/console/?callId=a%20b%40c&caller=%2B7&queue=Sales&wait=5&lang=en");
        assertThat(org.callibry.softphone.settings.Settings.defaults().crmUrlTemplate()).isEqualTo(UrlTemplate.CONSOLE);
    }
}

package org.callibry.softphone.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ServerAddressTest {
    @Test
    void hostWithAndWithoutPortIncludingBracketedV6() {
        assertThat(ServerAddress.parse("pbx.example")).isEqualTo(new ServerAddress("pbx.example", 0));
        assertThat(ServerAddress.parse(" 127.0.0.1:5070 ")).isEqualTo(new ServerAddress("127.0.0.1", 5070));
        assertThat(ServerAddress.parse("[::1]")).isEqualTo(new ServerAddress("[::1]", 0));
        assertThat(ServerAddress.parse("[::1]:5061")).isEqualTo(new ServerAddress("[::1]", 5061));
    }

    @Test
    void whatIsWrongIsSaid() {
        assertThatThrownBy(() -> ServerAddress.parse(":5060")).hasMessage("needs HOST[:PORT], not ':5060'");
        assertThatThrownBy(() -> ServerAddress.parse("")).hasMessage("needs HOST[:PORT], not ''");
        assertThatThrownBy(() -> ServerAddress.parse("pbx:0")).hasMessage("port must be 1-65535 in 'pbx:0'");
        assertThatThrownBy(() -> ServerAddress.parse("pbx:sip")).hasMessage("port must be 1-65535 in 'pbx:sip'");
    }
}

package org.callibry.softphone.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SoftphoneOptionsTest {

    @Test
    void readsEveryOptionInBothForms() {
        SoftphoneOptions o = SoftphoneOptions.parse("--server", "pbx.example:5070", "--user=1001", "--password", "s3cret",
                "--auto-answer", "--config-dir", "/tmp/cfg", "--lang=ru", "--theme", "dark", "--api", "https://pbx.example:8443/");
        assertThat(o.server()).contains("pbx.example:5070");
        assertThat(o.user()).contains("1001");
        assertThat(o.password()).contains("s3cret");
        assertThat(o.autoAnswer()).isTrue();
        assertThat(o.configDir()).contains(Path.of("/tmp/cfg"));
        assertThat(o.language()).contains("ru");
        assertThat(o.theme()).contains("dark");
        assertThat(o.api()).contains("https://pbx.example:8443/");
    }

    @Test
    void nothingGivenOverridesNothing() {
        SoftphoneOptions o = SoftphoneOptions.parse();
        assertThat(o.server()).isEmpty();
        assertThat(o.autoAnswer()).isFalse();
    }

    @Test
    void badInputIsRefusedNamingTheOption() {
        assertThatThrownBy(() -> SoftphoneOptions.parse("--lang", "de")).hasMessageContaining("--lang").hasMessageContaining("en, ru");
        assertThatThrownBy(() -> SoftphoneOptions.parse("--theme=blue")).hasMessageContaining("--theme");
        assertThatThrownBy(() -> SoftphoneOptions.parse("--server")).hasMessageContaining("--server needs a value");
        assertThatThrownBy(() -> SoftphoneOptions.parse("--server", "host:99999")).hasMessageContaining("1-65535");
        assertThatThrownBy(() -> SoftphoneOptions.parse("--api", "pbx.example:8080")).hasMessageContaining("--api needs an http");
        assertThatThrownBy(() -> SoftphoneOptions.parse("--volume", "3")).hasMessageContaining("unknown option --volume");
    }
}

package org.callibry.softphone.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.callibry.softphone.app.SoftphoneOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsStoreTest {
    @TempDir
    Path dir;

    @Test
    void savedSettingsComeBackAfterARestart() throws Exception {
        SettingsStore store = new SettingsStore(dir);
        Settings s = Settings.defaults().withServer("127.0.0.1:5060").withUser("1001").withPassword("pw").withTheme("dark")
                .withLanguage("ru").withCrmUrlTemplate("https://crm/x?c={caller}").withMoreAccounts(java.util.List.of(
                        new Settings.Account("127.0.0.1:5060", "tcp", "2001", "pw2", "Queue line"),
                        new Settings.Account("pbx.example", "tls", "7001", "pw=3 ü", "")));
        store.save(s);
        assertThat(new SettingsStore(dir).load()).isEqualTo(s);
        assertThat(s.accounts()).extracting(Settings.Account::label)
                .containsExactly("1001@127.0.0.1:5060", "2001@127.0.0.1:5060", "7001@pbx.example");
    }

    @Test
    void aMissingOrDamagedFileGivesTheDefaults() throws Exception {
        assertThat(new SettingsStore(dir).load()).isEqualTo(Settings.defaults());
        Files.writeString(dir.resolve("softphone.properties"), "server=\\u12");
        assertThat(new SettingsStore(dir).load()).isEqualTo(Settings.defaults());
    }

    @Test
    void commandLineOptionsOverrideForThisRunOnly() throws Exception {
        SettingsStore store = new SettingsStore(dir);
        store.save(Settings.defaults().withServer("saved:5060").withUser("1001"));
        Settings run = SettingsStore.effective(store.load(), SoftphoneOptions.parse("--server", "other:5070", "--auto-answer",
                "--theme", "dark"));
        assertThat(run.server()).isEqualTo("other:5070");
        assertThat(run.user()).isEqualTo("1001");
        assertThat(run.autoAnswer()).isTrue();
        assertThat(run.theme()).isEqualTo("dark");
        assertThat(store.load().server()).as("not saved").isEqualTo("saved:5060");
    }
}

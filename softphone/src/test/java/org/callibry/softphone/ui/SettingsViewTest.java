package org.callibry.softphone.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.callibry.softphone.i18n.SoftphoneText;
import org.callibry.softphone.settings.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** The settings form, headless: edits come back as settings; a bad CRM template is refused with the reason. */
@ExtendWith(ApplicationExtension.class)
class SettingsViewTest {
    private SettingsView form;
    private final List<String> tested = new ArrayList<>();

    @Start
    void start(Stage stage) {
        form = new SettingsView(Settings.defaults(), SoftphoneText.in(Locale.ENGLISH), List.of("USB Mic"), List.of("USB Speaker"),
                tested::add);
        stage.setScene(new Scene(form.root()));
        stage.show();
    }

    @Test
    void editsBecomeSettings(FxRobot robot) {
        robot.clickOn("#server").write("127.0.0.1:5060").clickOn("#user").write("1001").clickOn("#password").write("pw");
        robot.interact(() -> {
            form.transport.setValue("tcp");
            form.speaker.setValue("USB Speaker");
        });
        javafx.scene.control.TextField crm = robot.lookup("#crm").queryAs(javafx.scene.control.TextField.class);
        assertThat(crm.getText()).as("the server's console by default").isEqualTo(org.callibry.softphone.crm.UrlTemplate.CONSOLE);
        robot.interact(crm::clear);
        robot.clickOn("#autoAnswer").clickOn("#dtmfInfo").clickOn("#stun").write("stun.example.org:3478")
                .clickOn("#crm").write("https://crm/card?c={caller}");
        robot.clickOn("#testSpeaker");
        AtomicReference<Settings> s = new AtomicReference<>();
        robot.interact(() -> s.set(form.result()));
        assertThat(s.get().server()).isEqualTo("127.0.0.1:5060");
        assertThat(s.get().transport()).isEqualTo("tcp");
        assertThat(s.get().user()).isEqualTo("1001");
        assertThat(s.get().password()).isEqualTo("pw");
        assertThat(s.get().autoAnswer()).isTrue();
        assertThat(s.get().dtmfInfo()).isTrue();
        assertThat(s.get().stunServer()).isEqualTo("stun.example.org:3478");
        assertThat(s.get().speaker()).isEqualTo("USB Speaker");
        assertThat(s.get().crmUrlTemplate()).isEqualTo("https://crm/card?c={caller}");
        assertThat(tested).containsExactly("USB Speaker");
    }

    @Test
    void aBadCrmTemplateIsRefusedWithTheReason(FxRobot robot) {
        robot.clickOn("#server").write("pbx").clickOn("#user").write("1001").clickOn("#crm").write("https://crm/?p={phone}");
        AtomicReference<Settings> s = new AtomicReference<>();
        robot.interact(() -> s.set(form.result()));
        assertThat(s.get()).isNull();
        assertThat(robot.lookup("#settingsError").queryAs(Label.class).getText()).contains("unknown variable {phone}");
    }

    @Test
    void furtherAccountsAreAddedCheckedAndRemoved(FxRobot robot) {
        robot.clickOn("#server").write("127.0.0.1:5060").clickOn("#user").write("1001");
        robot.clickOn("#moreServer").write("127.0.0.1:5060").clickOn("#moreUser").write("2001").clickOn("#morePassword").write("pw2")
                .clickOn("#moreName").write("Queue line").clickOn("#addAccount");
        assertThat(form.more).containsExactly(new Settings.Account("127.0.0.1:5060", "udp", "2001", "pw2", "Queue line"));

        robot.clickOn("#moreServer").write("127.0.0.1:5060").clickOn("#moreUser").write("2001").clickOn("#addAccount");
        assertThat(robot.lookup("#settingsError").queryAs(Label.class).getText())
                .isEqualTo("This account is there already: 2001@127.0.0.1:5060");
        robot.interact(() -> {
            form.moreServer.setText("pbx:70000");
            form.moreUser.setText("3001");
        });
        robot.clickOn("#addAccount");
        assertThat(robot.lookup("#settingsError").queryAs(Label.class).getText()).contains("pbx:70000");
        assertThat(form.more).hasSize(1);

        robot.interact(() -> {
            form.moreServer.setText("pbx.example");
            form.moreTransport.setValue("tls");
        });
        robot.clickOn("#addAccount");
        AtomicReference<Settings> s = new AtomicReference<>();
        robot.interact(() -> s.set(form.result()));
        assertThat(s.get().moreAccounts()).extracting(Settings.Account::label).containsExactly("2001@127.0.0.1:5060", "3001@pbx.example");

        robot.clickOn("2001@127.0.0.1:5060 (udp) — Queue line").clickOn("#removeAccount");
        robot.interact(() -> s.set(form.result()));
        assertThat(s.get().moreAccounts()).extracting(Settings.Account::label).containsExactly("3001@pbx.example");
    }
}

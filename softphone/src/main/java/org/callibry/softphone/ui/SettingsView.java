package org.callibry.softphone.ui;

import java.util.List;
import javafx.geometry.Insets;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import org.callibry.shared.i18n.Messages;
import org.callibry.softphone.crm.UrlTemplate;
import org.callibry.softphone.settings.Settings;

/**
 * The settings form: account, transport, auto-answer, the CRM page template and when it loads, and
 * the sound devices with a microphone level meter and a speaker test. {@link #result()} checks the
 * input and says what is wrong (no half-valid settings are saved).
 */
public final class SettingsView {
    private final GridPane grid = new GridPane();
    private final Settings base;
    final TextField server = field("server");
    final ComboBox<String> transport = new ComboBox<>();
    final TextField user = field("user");
    final PasswordField password = new PasswordField();
    final TextField displayName = field("displayName");
    final CheckBox autoAnswer = new CheckBox();
    final TextField crm = field("crm");
    final ComboBox<String> crmLoadOn = new ComboBox<>();
    final ComboBox<String> microphone = new ComboBox<>();
    final ComboBox<String> speaker = new ComboBox<>();
    final ComboBox<String> ringDevice = new ComboBox<>();
    final ProgressBar level = new ProgressBar(0);
    final Button test;
    final Label error = new Label();

    /**
     * @param microphones capture device names ("" = system default first)
     * @param speakers    playback device names
     * @param onTest      plays a test tone on the chosen speaker
     */
    public SettingsView(Settings s, Messages text, List<String> microphones, List<String> speakers,
                        java.util.function.Consumer<String> onTest) {
        this.base = s;
        server.setText(s.server());
        transport.getItems().setAll("udp", "tcp", "tls");
        transport.setValue(s.transport());
        transport.setId("transport");
        user.setText(s.user());
        password.setText(s.password());
        password.setId("password");
        displayName.setText(s.displayName());
        autoAnswer.setSelected(s.autoAnswer());
        autoAnswer.setId("autoAnswer");
        crm.setText(s.crmUrlTemplate());
        crmLoadOn.getItems().setAll("ring", "answer");
        crmLoadOn.setValue(s.crmLoadOn());
        crmLoadOn.setId("crmLoadOn");
        microphone.getItems().setAll(withDefault(microphones));
        microphone.setValue(s.microphone());
        microphone.setId("microphone");
        speaker.getItems().setAll(withDefault(speakers));
        speaker.setValue(s.speaker());
        speaker.setId("speaker");
        ringDevice.getItems().setAll(withDefault(speakers));
        ringDevice.setValue(s.ringDevice());
        ringDevice.setId("ringDevice");
        level.setId("level");
        test = new Button(text.get("settings.test"));
        test.setId("testSpeaker");
        test.setOnAction(e -> onTest.accept(speaker.getValue()));
        error.setId("settingsError");
        error.getStyleClass().add("error");
        String[] labels = {"settings.server", "settings.transport", "settings.user", "settings.password", "settings.displayName",
            "settings.autoAnswer", "settings.crm", "settings.crmLoadOn", "settings.microphone", "settings.speaker",
            "settings.ringDevice"};
        javafx.scene.Node[] fields = {server, transport, user, password, displayName, autoAnswer, crm, crmLoadOn, microphone,
            new javafx.scene.layout.HBox(6, speaker, test), ringDevice};
        for (int i = 0; i < labels.length; i++) {
            grid.add(new Label(text.get(labels[i])), 0, i);
            grid.add(fields[i], 1, i);
        }
        grid.add(new Label(text.get("settings.level")), 0, labels.length);
        grid.add(level, 1, labels.length);
        grid.add(error, 0, labels.length + 1, 2, 1);
        grid.setHgap(8);
        grid.setVgap(6);
        grid.setPadding(new Insets(12));
        crm.setPrefColumnCount(36);
    }

    private static List<String> withDefault(List<String> devices) {
        java.util.ArrayList<String> all = new java.util.ArrayList<>();
        all.add("");
        all.addAll(devices);
        return all;
    }

    private static TextField field(String id) {
        TextField f = new TextField();
        f.setId(id);
        return f;
    }

    public Parent root() {
        return grid;
    }

    /** Shows the microphone level (0..1), fed by the caller from the device's meter. */
    public void level(double value) {
        level.setProgress(value);
    }

    /** The edited settings, or null with the reason shown when something is wrong. */
    public Settings result() {
        String srv = server.getText().strip();
        if (srv.isEmpty() || user.getText().isBlank()) {
            error.setText("server and user are required");
            return null;
        }
        try {
            if (!crm.getText().isBlank()) {
                new UrlTemplate(crm.getText().strip());
            }
        } catch (IllegalArgumentException e) {
            error.setText("CRM page: " + e.getMessage());
            return null;
        }
        error.setText("");
        return base.withAccount(srv, transport.getValue(), user.getText().strip(), password.getText(), displayName.getText().strip(),
                autoAnswer.isSelected(), crm.getText().strip(), crmLoadOn.getValue(), nullToEmpty(microphone.getValue()),
                nullToEmpty(speaker.getValue()), nullToEmpty(ringDevice.getValue()));
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}

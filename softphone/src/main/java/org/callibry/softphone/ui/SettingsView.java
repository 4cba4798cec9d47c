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
 * the sound devices with a microphone level meter and a speaker test, and further SIP accounts
 * registered at the same time. {@link #result()} checks the input and says what is wrong (no
 * half-valid settings are saved).
 */
public final class SettingsView {
    private final GridPane grid = new GridPane();
    private final Settings base;
    private final Messages text;
    final javafx.collections.ObservableList<Settings.Account> more = javafx.collections.FXCollections.observableArrayList();
    final javafx.scene.control.ListView<Settings.Account> moreList = new javafx.scene.control.ListView<>(more);
    final TextField moreServer = field("moreServer");
    final ComboBox<String> moreTransport = new ComboBox<>();
    final TextField moreUser = field("moreUser");
    final PasswordField morePassword = new PasswordField();
    final TextField moreName = field("moreName");
    final TextField server = field("server");
    final ComboBox<String> transport = new ComboBox<>();
    final TextField user = field("user");
    final PasswordField password = new PasswordField();
    final TextField displayName = field("displayName");
    final CheckBox autoAnswer = new CheckBox();
    final TextField stun = field("stun");
    final CheckBox dtmfInfo = new CheckBox();
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
        this.text = text;
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
        stun.setText(s.stunServer());
        stun.setPromptText("stun.example.org:3478");
        dtmfInfo.setSelected(s.dtmfInfo());
        dtmfInfo.setId("dtmfInfo");
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
            "settings.autoAnswer", "settings.stun", "settings.dtmfInfo", "settings.crm", "settings.crmLoadOn", "settings.microphone", "settings.speaker",
            "settings.ringDevice"};
        javafx.scene.Node[] fields = {server, transport, user, password, displayName, autoAnswer, stun, dtmfInfo, crm, crmLoadOn, microphone,
            new javafx.scene.layout.HBox(6, speaker, test), ringDevice};
        for (int i = 0; i < labels.length; i++) {
            grid.add(new Label(text.get(labels[i])), 0, i);
            grid.add(fields[i], 1, i);
        }
        grid.add(new Label(text.get("settings.level")), 0, labels.length);
        grid.add(level, 1, labels.length);
        grid.add(new Label(text.get("settings.moreAccounts")), 0, labels.length + 1);
        grid.add(moreAccounts(s), 1, labels.length + 1);
        grid.add(error, 0, labels.length + 2, 2, 1);
        grid.setHgap(8);
        grid.setVgap(6);
        grid.setPadding(new Insets(12));
        crm.setPrefColumnCount(36);
    }

    /** The further accounts: a list with Remove, and a row of fields with Add. */
    private Parent moreAccounts(Settings s) {
        more.setAll(s.moreAccounts());
        moreList.setId("moreAccounts");
        moreList.setPrefHeight(80);
        moreList.setCellFactory(l -> new javafx.scene.control.ListCell<>() {
            @Override
            protected void updateItem(Settings.Account a, boolean empty) {
                super.updateItem(a, empty);
                setText(empty || a == null ? null : a.label() + " (" + a.transport() + ")"
                        + (a.displayName().isBlank() ? "" : " — " + a.displayName()));
            }
        });
        moreTransport.getItems().setAll("udp", "tcp", "tls");
        moreTransport.setValue("udp");
        moreTransport.setId("moreTransport");
        morePassword.setId("morePassword");
        moreServer.setPromptText(text.get("settings.server"));
        moreUser.setPromptText(text.get("settings.user"));
        morePassword.setPromptText(text.get("settings.password"));
        moreName.setPromptText(text.get("settings.displayName"));
        moreServer.setPrefColumnCount(12);
        moreUser.setPrefColumnCount(6);
        morePassword.setPrefColumnCount(6);
        moreName.setPrefColumnCount(8);
        Button add = new Button(text.get("settings.addAccount"));
        add.setId("addAccount");
        add.setOnAction(e -> addAccount());
        Button remove = new Button(text.get("settings.removeAccount"));
        remove.setId("removeAccount");
        remove.disableProperty().bind(moreList.getSelectionModel().selectedItemProperty().isNull());
        remove.setOnAction(e -> more.remove(moreList.getSelectionModel().getSelectedItem()));
        return new javafx.scene.layout.VBox(4, new javafx.scene.layout.HBox(6, moreList, remove),
                new javafx.scene.layout.HBox(6, moreServer, moreTransport, moreUser, morePassword, moreName, add));
    }

    private void addAccount() {
        String srv = moreServer.getText().strip();
        String u = moreUser.getText().strip();
        String problem = srv.isEmpty() || u.isEmpty() ? text.get("settings.error.required") : serverProblem(srv);
        Settings.Account a = new Settings.Account(srv, moreTransport.getValue(), u, morePassword.getText(), moreName.getText().strip());
        if (problem == null && (a.label().equals(user.getText().strip() + "@" + server.getText().strip())
                || more.stream().anyMatch(m -> m.label().equals(a.label())))) {
            problem = text.get("settings.error.duplicate") + " " + a.label();
        }
        if (problem != null) {
            error.setText(problem);
            return;
        }
        error.setText("");
        more.add(a);
        moreServer.clear();
        moreUser.clear();
        morePassword.clear();
        moreName.clear();
    }

    /** What is wrong with a {@code HOST[:PORT]}, or null. */
    private String serverProblem(String srv) {
        try {
            org.callibry.softphone.settings.ServerAddress.parse(srv);
            return null;
        } catch (IllegalArgumentException e) {
            return text.get("settings.error.server") + " " + srv;
        }
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
            error.setText(text.get("settings.error.required"));
            return null;
        }
        String bad = serverProblem(srv);
        if (bad != null) {
            error.setText(bad);
            return null;
        }
        String stunServer = stun.getText().strip();
        String badStun = stunServer.isEmpty() ? null : serverProblem(stunServer);
        if (badStun != null) {
            error.setText("STUN: " + badStun);
            return null;
        }
        try {
            if (!crm.getText().isBlank()) {
                new UrlTemplate(crm.getText().strip());
            }
        } catch (IllegalArgumentException e) {
            error.setText(text.get("settings.error.crm") + ": " + e.getMessage());
            return null;
        }
        error.setText("");
        return base.withMoreAccounts(List.copyOf(more)).withStunServer(stunServer).withDtmfInfo(dtmfInfo.isSelected())
                .withAccount(srv, transport.getValue(), user.getText().strip(), password.getText(), displayName.getText().strip(),
                autoAnswer.isSelected(), crm.getText().strip(), crmLoadOn.getValue(), nullToEmpty(microphone.getValue()),
                nullToEmpty(speaker.getValue()), nullToEmpty(ringDevice.getValue()));
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}

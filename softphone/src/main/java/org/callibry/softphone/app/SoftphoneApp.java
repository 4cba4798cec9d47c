package org.callibry.softphone.app;

import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.callibry.shared.i18n.Messages;
import org.callibry.softphone.chat.ChatLog;
import org.callibry.softphone.contacts.PersonalContacts;
import org.callibry.softphone.history.CallHistory;
import org.callibry.softphone.i18n.SoftphoneText;
import org.callibry.softphone.phone.Phone;
import org.callibry.softphone.server.ServerApi;
import org.callibry.softphone.settings.Settings;
import org.callibry.softphone.settings.SettingsStore;
import org.callibry.softphone.ui.IncomingCallNotifier;
import org.callibry.softphone.ui.MainView;
import org.callibry.softphone.ui.MainViewModel;

/**
 * The JavaFX application: command line over saved settings, the phone, the main window with its
 * theme and language (both switchable at runtime and saved), contacts (personal and the server's
 * directory), history, the operator status sent to the server, and a notification window for an
 * incoming call while the main window is not focused. Started by {@link Launcher}.
 */
public final class SoftphoneApp extends Application {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd.MM'T'HH:mm").withZone(ZoneId.systemDefault());

    private Phone phone;
    private Stage stage;
    private Settings settings;
    private SettingsStore store;
    private Path dir;
    private volatile ServerApi api;
    private MainViewModel vm;
    private ChatLog chatLog;
    private CallHistory history;
    private PersonalContacts personal;

    @Override
    public void start(Stage stage) throws IOException {
        this.stage = stage;
        List<String> args = getParameters().getRaw();
        SoftphoneOptions options = SoftphoneOptions.parse(args.toArray(String[]::new));
        dir = options.configDir().orElse(SettingsStore.defaultDirectory());
        store = new SettingsStore(dir);
        settings = SettingsStore.effective(store.load(), options);
        phone = Phones.create(dir, () -> settings);
        chatLog = new ChatLog(dir);
        history = new CallHistory(dir);
        personal = new PersonalContacts(dir);
        new IncomingCallNotifier(phone, () -> SoftphoneText.in(Locale.forLanguageTag(settings.language())), stage::isFocused,
                () -> settings.autoAnswer(), scene -> Themes.apply(scene, settings.theme()));
        show();
        if (!settings.server().isBlank() && !settings.user().isBlank()) {
            connectApi();
        }
    }

    /** Builds the window in the current language and theme (again after a language change). */
    private void show() {
        Messages text = SoftphoneText.in(Locale.forLanguageTag(settings.language()));
        if (vm != null) {
            vm.close(); // the old window's model stops following the phone
        }
        MainViewModel vm = new MainViewModel(phone, text, settings);
        this.vm = vm;
        vm.chat().useLog(chatLog);
        MainView view = new MainView(vm, text, true);
        view.addPreferences(this::preference);
        vm.setHistorySource(() -> history.entries().stream()
                .map(e -> TIME.format(e.at()) + "  " + e.kind() + "  " + e.number() + "  " + e.name() + "  " + e.duration().toSeconds() + " s")
                .toList());
        vm.setContacts(personal.all());
        vm.onStatusChange((free, reason) -> {
            ServerApi a = api;
            if (a != null) {
                Thread.ofVirtual().start(() -> {
                    try {
                        a.setStatus(free, reason);
                    } catch (RuntimeException e) {
                        System.err.println("Status not sent to the server: " + e.getMessage());
                    }
                });
            }
        });
        vm.untrustedCertificateProperty().addListener((o, was, fingerprint) -> {
            if (fingerprint != null && !fingerprint.isBlank()) {
                javafx.scene.control.Alert ask = new javafx.scene.control.Alert(javafx.scene.control.Alert.AlertType.CONFIRMATION,
                        text.get("tls.question") + "\n\nSHA-256 " + fingerprint);
                ask.setTitle(text.get("tls.title"));
                ask.setHeaderText(text.get("tls.title"));
                ask.showAndWait().filter(b -> b == javafx.scene.control.ButtonType.OK).ifPresent(b -> vm.acceptCertificate(fingerprint, s -> {
                    settings = s;
                    save();
                }));
            }
        });
        Scene scene = new Scene(view.root(), 1100, 640);
        Themes.apply(scene, settings.theme());
        stage.setTitle(text.get("app.title"));
        stage.setScene(scene);
        stage.show();
        if (!settings.server().isBlank() && !settings.user().isBlank()) {
            vm.connect();
        }
        Thread.ofVirtual().start(() -> {
            ServerApi a = api;
            if (a != null) {
                try {
                    List<PersonalContacts.Contact> all = new ArrayList<>(personal.all());
                    all.addAll(a.companyDirectory());
                    Platform.runLater(() -> vm.setContacts(all));
                } catch (RuntimeException e) {
                    System.err.println("Company directory not loaded: " + e.getMessage());
                }
            }
        });
    }

    private void connectApi() {
        Thread.ofVirtual().start(() -> {
            try {
                api = new ServerApi(settings.effectiveApiUrl(), settings.effectiveApiUser(), settings.effectiveApiPassword());
                Platform.runLater(this::show); // reload with the company directory
            } catch (RuntimeException e) {
                System.err.println("Server API not available (" + settings.effectiveApiUrl() + "): " + e.getMessage());
            }
        });
    }

    private void preference(String what, String value) {
        if ("settings".equals(what)) {
            editSettings();
            return;
        }
        settings = "theme".equals(what) ? settings.withTheme(value) : settings.withLanguage(value);
        try {
            store.save(settings);
        } catch (IOException e) {
            System.err.println("Settings not saved: " + e.getMessage());
        }
        if ("theme".equals(what)) {
            Themes.apply(stage.getScene(), value);
        } else {
            show();
        }
    }

    private void save() {
        try {
            store.save(settings);
        } catch (IOException e) {
            System.err.println("Settings not saved: " + e.getMessage());
        }
    }

    /** The settings dialog: account, CRM page, devices (with a microphone level meter and a speaker test). */
    private void editSettings() {
        Messages text = SoftphoneText.in(Locale.forLanguageTag(settings.language()));
        List<String> mics = org.callibry.softphone.audio.AudioDevices.captureDevices().stream()
                .map(org.callibry.softphone.audio.AudioDevice::name).toList();
        List<String> speakers = org.callibry.softphone.audio.AudioDevices.playbackDevices().stream()
                .map(org.callibry.softphone.audio.AudioDevice::name).toList();
        org.callibry.softphone.ui.SettingsView form = new org.callibry.softphone.ui.SettingsView(settings, text, mics, speakers,
                name -> Thread.ofVirtual().start(() -> {
                    try (var sink = org.callibry.softphone.audio.DeviceSink.open(
                            org.callibry.softphone.audio.AudioDevices.find(name).orElse(null));
                         var player = org.callibry.softphone.audio.AudioPlayer.start(
                                 new org.callibry.softphone.audio.ToneSource(8000, 440), sink)) {
                        Thread.sleep(1000);
                    } catch (Exception e) {
                        System.err.println("Speaker test failed: " + e.getMessage());
                    }
                }));
        org.callibry.softphone.audio.DeviceSource[] mic = new org.callibry.softphone.audio.DeviceSource[1];
        javafx.animation.Timeline meter = new javafx.animation.Timeline(new javafx.animation.KeyFrame(javafx.util.Duration.millis(100),
                e -> {
                    if (mic[0] != null) {
                        mic[0].read();
                        form.level(mic[0].meter().level());
                    }
                }));
        meter.setCycleCount(javafx.animation.Animation.INDEFINITE);
        try {
            mic[0] = org.callibry.softphone.audio.DeviceSource.open(null);
            meter.play();
        } catch (Exception e) {
            form.level(0); // no microphone on this machine
        }
        javafx.scene.control.Dialog<Settings> dialog = new javafx.scene.control.Dialog<>();
        dialog.setTitle(text.get("settings.title"));
        dialog.getDialogPane().setContent(form.root());
        dialog.getDialogPane().getButtonTypes().addAll(javafx.scene.control.ButtonType.OK, javafx.scene.control.ButtonType.CANCEL);
        dialog.getDialogPane().lookupButton(javafx.scene.control.ButtonType.OK).addEventFilter(javafx.event.ActionEvent.ACTION, e -> {
            if (form.result() == null) {
                e.consume(); // the form says what is wrong
            }
        });
        dialog.setResultConverter(b -> b == javafx.scene.control.ButtonType.OK ? form.result() : null);
        dialog.showAndWait().ifPresent(s -> {
            settings = s;
            save();
            show();
        });
        meter.stop();
        if (mic[0] != null) {
            mic[0].close();
        }
    }

    @Override
    public void stop() {
        if (phone != null) {
            phone.close();
        }
    }
}

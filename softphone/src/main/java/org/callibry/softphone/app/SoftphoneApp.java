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
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.stage.Stage;
import org.callibry.shared.api.dto.Agents;
import org.callibry.shared.api.dto.Notification;
import org.callibry.shared.i18n.Messages;
import org.callibry.softphone.chat.ChatLog;
import org.callibry.softphone.contacts.PersonalContacts;
import org.callibry.softphone.history.CallHistory;
import org.callibry.softphone.i18n.SoftphoneText;
import org.callibry.softphone.phone.Phone;
import org.callibry.softphone.server.OwnStatus;
import org.callibry.softphone.server.PushChannel;
import org.callibry.softphone.server.ServerApi;
import org.callibry.softphone.settings.Settings;
import org.callibry.softphone.settings.SettingsStore;
import org.callibry.softphone.ui.IncomingCallNotifier;
import org.callibry.softphone.ui.MainView;
import org.callibry.softphone.ui.MainViewModel;

/**
 * The JavaFX application: command line over saved settings, the phone, the main window with its
 * theme and language (both switchable at runtime and saved), contacts (personal and the server's
 * directory), history, the operator status (sent to the server, and followed with the live state
 * through the server's push channel), and a notification window for an incoming call while the main
 * window is not focused. Started by {@link Launcher}.
 */
public final class SoftphoneApp extends Application {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd.MM'T'HH:mm").withZone(ZoneId.systemDefault());
    private static final System.Logger LOG = System.getLogger("org.callibry.softphone");

    private Phone phone;
    private Stage stage;
    private volatile Settings settings;
    private SettingsStore store;
    private Path dir;
    private volatile ServerApi api;
    private MainViewModel vm;
    private ChatLog chatLog;
    private CallHistory history;
    private PersonalContacts personal;
    private volatile List<PersonalContacts.Contact> directory = List.of();
    /** The operator's status as the server last said it, and which pushes are the operator's. */
    private volatile OwnStatus ownStatus;
    /** The server's push channel: status changes made elsewhere (supervisor, server) and the live state. */
    private volatile PushChannel events;

    /**
     * Before the window: settings, the phone, and — when an account is set — the registration and the
     * server API connection on their own threads, so they run while JavaFX builds the window.
     */
    @Override
    public void init() throws IOException {
        List<String> args = getParameters().getRaw();
        SoftphoneOptions options = SoftphoneOptions.parse(args.toArray(String[]::new));
        dir = options.configDir().orElse(SettingsStore.defaultDirectory());
        store = new SettingsStore(dir);
        settings = SettingsStore.effective(store.load(), options);
        history = new CallHistory(dir); // one instance: the phone adds to it, the window lists it
        phone = Phones.create(history, () -> settings);
        phone.addListener(new ActivityLog());
        chatLog = new ChatLog(dir);
        phone.addListener(new Phone.Listener() { // every message is kept, also one arriving before the window is up
            @Override
            public void message(String from, String fromName, String text) {
                chatLog.received(from, fromName, text);
            }
        });
        personal = new PersonalContacts(dir);
        if (configured()) {
            Settings s = settings;
            Thread.ofPlatform().name("register").start(() -> phone.register(s));
            connectApi();
        }
    }

    private boolean configured() {
        return !settings.server().isBlank() && !settings.user().isBlank();
    }

    /** Whether the main window has the focus, readable from the phone's threads. */
    private final java.util.concurrent.atomic.AtomicBoolean focused = new java.util.concurrent.atomic.AtomicBoolean();

    @Override
    public void start(Stage stage) {
        this.stage = stage;
        stage.focusedProperty().addListener((o, was, is) -> focused.set(is));
        phone.addListener(new org.callibry.softphone.ui.DesktopNotifier(org.callibry.softphone.ui.DesktopNotifier.findCommand(),
                () -> SoftphoneText.in(Locale.forLanguageTag(settings.language())), focused::get));
        new IncomingCallNotifier(phone, () -> SoftphoneText.in(Locale.forLanguageTag(settings.language())), stage::isFocused,
                () -> settings.autoAnswer(), scene -> Themes.apply(scene, settings.theme()));
        show(false);
        LOG.log(System.Logger.Level.INFO, "window shown ({0} ms after start)", Long.toString(sinceStart()));
    }

    private static long sinceStart() {
        return System.currentTimeMillis() - java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
    }

    /**
     * Builds the window in the current language and theme (again after a language or settings
     * change); {@code register} registers again with the current settings.
     */
    private void show(boolean register) {
        Messages text = SoftphoneText.in(Locale.forLanguageTag(settings.language()));
        if (vm != null) {
            vm.close(); // the old window's model stops following the phone
        }
        MainViewModel vm = new MainViewModel(phone, text, settings);
        this.vm = vm;
        vm.useApiToken(() -> {
            ServerApi a = api;
            return a == null ? "" : a.token();
        });
        vm.chat().useLog(chatLog);
        MainView view = new MainView(vm, text, true);
        view.addPreferences(this::preference);
        vm.setHistorySource(() -> history.entries().stream()
                .map(e -> TIME.format(e.at()) + "  " + e.kind() + "  " + e.number() + "  " + e.name() + "  " + e.duration().toSeconds() + " s")
                .toList());
        showContacts();
        showServerStatus();
        vm.status().onChange(this::sendStatus);
        vm.untrustedCertificateProperty().addListener((o, was, fingerprint) -> {
            if (fingerprint != null && !fingerprint.isBlank()) {
                Alert ask = new Alert(Alert.AlertType.CONFIRMATION, text.get("tls.question") + "\n\nSHA-256 " + fingerprint);
                ask.setTitle(text.get("tls.title"));
                ask.setHeaderText(text.get("tls.title"));
                ask.showAndWait().filter(b -> b == ButtonType.OK).ifPresent(b -> vm.acceptCertificate(fingerprint, s -> {
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
        if (register && configured()) {
            vm.connect();
        }
    }

    /** The operator's status as the server last said it, in the window (on the UI thread). */
    private void showServerStatus() {
        OwnStatus own = ownStatus;
        if (own != null && vm != null) {
            own.latest().ifPresent(vm.status()::show);
        }
    }

    /** The operator chose a status: to the server, its answer (or why not) back to the window. */
    private void sendStatus(Agents.Status status, String reason) {
        ServerApi a = api;
        OwnStatus own = ownStatus;
        if (a == null || own == null) {
            vm.status().notConnected();
            return;
        }
        Thread.ofVirtual().start(() -> {
            try {
                own.known(a.setStatus(status, reason));
                Platform.runLater(this::showServerStatus);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "status not sent to the server: {0}", e.getMessage());
                Platform.runLater(() -> {
                    if (vm != null) {
                        vm.status().refused(e.getMessage());
                    }
                });
            }
        });
    }

    /** Reads the operator's status afresh (the push channel opened again: changes may have been missed). */
    private void readStatus(ServerApi a, OwnStatus own) {
        try {
            a.status().ifPresent(own::known);
            Platform.runLater(this::showServerStatus);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "operator status not read: {0}", e.getMessage());
        }
    }

    /** Opens the push channel of {@code a}, replacing the one of earlier settings. */
    private void listen(ServerApi a, OwnStatus own) {
        PushChannel channel = new PushChannel(a.base(), a::token, a::login, new PushChannel.Listener() {
            @Override
            public void connected() {
                readStatus(a, own);
            }

            @Override
            public void notification(Notification n) {
                own.of(n).ifPresent(st -> Platform.runLater(SoftphoneApp.this::showServerStatus));
                Platform.runLater(() -> {
                    if (vm != null) {
                        vm.pushToPage(n); // the operator console's notes and messages
                    }
                });
            }
        });
        PushChannel old = events;
        events = channel;
        if (old != null) {
            old.close();
        }
        channel.start();
    }

    /** Personal contacts and, once the server API answered, the company directory. */
    private void showContacts() {
        List<PersonalContacts.Contact> all = new ArrayList<>(personal.all());
        all.addAll(directory);
        vm.setContacts(all);
    }

    /** Counts the connections to the API asked for: a newer one (new settings, the end) stops an older one's retries. */
    private final java.util.concurrent.atomic.AtomicInteger apiConnections = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * Connects to the server's API (operator status, company directory, the push channel) without
     * holding up anything else; a server not reachable yet is tried again after a back-off.
     */
    private void connectApi() {
        int connection = apiConnections.incrementAndGet();
        api = null; // nothing goes to the server of the settings before
        ownStatus = null;
        PushChannel old = events;
        events = null;
        if (old != null) {
            old.close(); // the channel of the settings before
        }
        Settings s = settings;
        Thread.ofVirtual().start(() -> {
            for (int failures = 1; connection == apiConnections.get(); failures++) {
                try {
                    connectApi(s, connection);
                    return;
                } catch (RuntimeException e) {
                    java.time.Duration wait = PushChannel.backoff(failures, java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(30));
                    LOG.log(System.Logger.Level.WARNING, "server API not available ({0}): {1}; again in {2} s", s.effectiveApiUrl(),
                            e.getMessage(), wait.toSeconds());
                    try {
                        Thread.sleep(wait);
                    } catch (InterruptedException stop) {
                        return;
                    }
                }
            }
        });
    }

    private void connectApi(Settings s, int connection) {
        ServerApi a = new ServerApi(s.effectiveApiUrl(), s.effectiveApiUser(), s.effectiveApiPassword());
        OwnStatus own = new OwnStatus(s.user());
        List<PersonalContacts.Contact> found = a.companyDirectory();
        LOG.log(System.Logger.Level.INFO, "company directory: {0} contacts from {1}", found.size(), s.effectiveApiUrl());
        // the window starts from the status the server holds, so both say the same
        a.status().ifPresent(st -> {
            own.known(st);
            LOG.log(System.Logger.Level.INFO, "operator status on the server: {0}", st.status());
        });
        if (connection != apiConnections.get()) {
            return; // the settings changed meanwhile
        }
        api = a;
        ownStatus = own;
        directory = found;
        listen(a, own);
        Platform.runLater(() -> {
            if (vm != null) {
                showContacts();
                showServerStatus();
            }
        });
    }

    private void preference(String what, String value) {
        if ("settings".equals(what)) {
            editSettings();
            return;
        }
        settings = "theme".equals(what) ? settings.withTheme(value) : settings.withLanguage(value);
        save();
        if ("theme".equals(what)) {
            Themes.apply(stage.getScene(), value);
        } else {
            show(false);
        }
    }

    private void save() {
        try {
            store.save(settings);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "settings not saved: {0}", e.getMessage());
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
                        LOG.log(System.Logger.Level.WARNING, "speaker test failed: {0}", e.getMessage());
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
        dialog.getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);
        dialog.getDialogPane().lookupButton(ButtonType.OK).addEventFilter(javafx.event.ActionEvent.ACTION, e -> {
            if (form.result() == null) {
                e.consume(); // the form says what is wrong
            }
        });
        dialog.setResultConverter(b -> b == ButtonType.OK ? form.result() : null);
        dialog.showAndWait().ifPresent(s -> {
            settings = s;
            save();
            show(true);
            connectApi();
        });
        meter.stop();
        if (mic[0] != null) {
            mic[0].close();
        }
    }

    /**
     * Registration and call events in the application's log (standard error), for support and for
     * the start-up benchmark: {@code registration REGISTERED 1001@host (812 ms after start)}. Message
     * texts are not logged.
     */
    private final class ActivityLog implements Phone.Listener {
        @Override
        public void registration(String account, Phone.Registration state, String reason) {
            LOG.log(System.Logger.Level.INFO, "registration {0} {1}{2} ({3} ms after start)", state, account,
                    reason == null || reason.isBlank() ? "" : ": " + reason, Long.toString(sinceStart()));
        }

        @Override
        public void call(Phone.CallInfo call) {
            LOG.log(System.Logger.Level.INFO, "call {0} {1} {2} on {3}: {4}{5}", call.id(), call.incoming() ? "from" : "to",
                    call.peer(), call.account(), call.state(), call.reason() == null || call.reason().isBlank() ? "" : " (" + call.reason() + ")");
        }
    }

    @Override
    public void stop() {
        apiConnections.incrementAndGet();
        PushChannel channel = events;
        if (channel != null) {
            channel.close();
        }
        if (phone != null) {
            phone.close();
        }
    }
}

package org.callibry.softphone.app;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.callibry.shared.i18n.Messages;
import org.callibry.softphone.i18n.SoftphoneText;
import org.callibry.softphone.phone.Phone;
import org.callibry.softphone.settings.Settings;
import org.callibry.softphone.settings.SettingsStore;
import org.callibry.softphone.ui.MainView;
import org.callibry.softphone.ui.MainViewModel;

/**
 * The JavaFX application: command line over saved settings, the phone, the main window with its
 * theme and language. Started by {@link Launcher}.
 */
public final class SoftphoneApp extends Application {
    private Phone phone;

    @Override
    public void start(Stage stage) throws IOException {
        List<String> args = getParameters().getRaw();
        SoftphoneOptions options = SoftphoneOptions.parse(args.toArray(String[]::new));
        Path dir = options.configDir().orElse(SettingsStore.defaultDirectory());
        SettingsStore store = new SettingsStore(dir);
        Settings settings = SettingsStore.effective(store.load(), options);
        Messages text = SoftphoneText.in(Locale.forLanguageTag(settings.language()));
        phone = Phones.create(dir);
        MainViewModel vm = new MainViewModel(phone, text, settings);
        MainView view = new MainView(vm, text, true);
        Scene scene = new Scene(view.root(), 1100, 640);
        Themes.apply(scene, settings.theme());
        stage.setTitle(text.get("app.title"));
        stage.setScene(scene);
        stage.show();
        if (!settings.server().isBlank() && !settings.user().isBlank()) {
            vm.connect();
        }
    }

    @Override
    public void stop() {
        if (phone != null) {
            phone.close();
        }
    }
}

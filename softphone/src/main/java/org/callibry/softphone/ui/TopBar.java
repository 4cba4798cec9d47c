package org.callibry.softphone.ui;

import java.util.function.BiConsumer;
import javafx.css.PseudoClass;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.layout.HBox;
import org.callibry.shared.i18n.Messages;

/**
 * The main window's top bar, always visible: registration, the operator's status with the pause reason
 * and the live state ({@link StatusControl}), preferences.
 */
final class TopBar {
    private final Messages text;
    private final HBox bar;

    TopBar(MainViewModel vm, Messages text) {
        this.text = text;
        Label registration = new Label();
        registration.setId("registration");
        registration.textProperty().bind(vm.registration);
        registration.getStyleClass().add("registration");
        vm.registered.addListener((o, was, is) -> registration.pseudoClassStateChanged(PseudoClass.getPseudoClass("ok"), is));
        bar = new HBox(10, registration, new StatusControl(vm.status, text).node());
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(8));
        bar.getStyleClass().add("top-bar");
    }

    HBox node() {
        return bar;
    }

    /** Adds the settings, theme and language menu; {@code apply} gets ("theme"|"lang"|"settings", value). */
    void addPreferences(BiConsumer<String, String> apply) {
        MenuButton prefs = new MenuButton(text.get("menu.preferences"));
        prefs.setId("preferences");
        MenuItem settings = item("settingsItem", "menu.settings", () -> apply.accept("settings", ""));
        MenuItem light = item("themeLight", "theme.light", () -> apply.accept("theme", "light"));
        MenuItem dark = item("themeDark", "theme.dark", () -> apply.accept("theme", "dark"));
        MenuItem en = item("langEn", "language.en", () -> apply.accept("lang", "en"));
        MenuItem ru = item("langRu", "language.ru", () -> apply.accept("lang", "ru"));
        prefs.getItems().addAll(settings, new SeparatorMenuItem(), light, dark, new SeparatorMenuItem(), en, ru);
        bar.getChildren().add(prefs);
    }

    private MenuItem item(String id, String key, Runnable action) {
        MenuItem item = new MenuItem(text.get(key));
        item.setId(id);
        item.setOnAction(e -> action.run());
        return item;
    }
}

package org.callibry.softphone.ui;

import java.util.function.BiConsumer;
import javafx.application.Platform;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.SplitPane;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import org.callibry.shared.i18n.Messages;

/**
 * The main window: registration and operator status always visible at the top ({@link TopBar}),
 * number field, keypad and call controls on the left ({@link CallPanel}), contacts / history / chat
 * tabs ({@link DirectoryTabs}), and the CRM page (WebView) on the right with a JavaScript bridge
 * ({@code window.callibry}, {@link CrmBrowser}) for the page.
 */
public final class MainView {
    private final BorderPane root = new BorderPane();
    private final TopBar top;
    /** Held here with the bridge it gives the page (WebView references that only weakly). */
    private CrmBrowser crm;

    public MainView(MainViewModel vm, Messages text, boolean withBrowser) {
        top = new TopBar(vm, text);
        root.setTop(top.node());
        CallPanel left = new CallPanel(vm, text);
        SplitPane center = new SplitPane(new DirectoryTabs(vm, text).node());
        if (withBrowser) {
            // WebKit takes a second or more to start: the window shows first, the browser joins it just after
            StackPane holder = new StackPane();
            center.getItems().add(holder);
            center.setDividerPositions(0.4);
            Platform.runLater(() -> {
                crm = new CrmBrowser(vm);
                holder.getChildren().add(crm.node());
            });
        }
        root.setLeft(left.node());
        root.setCenter(center);
        // call-center keys: F2 answer, F3 hang up, F4 hold, F5 mute (also while typing in a field)
        root.sceneProperty().addListener((o, was, scene) -> {
            if (scene != null) {
                scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F2), vm::answer);
                scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F3), vm::hangup);
                scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F4), vm::toggleHold);
                scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F5), vm::toggleMute);
            }
        });
    }

    public Parent root() {
        return root;
    }

    /** Adds the settings, theme and language choices to the top bar; {@code apply} gets ("theme"|"lang"|"settings", value). */
    public void addPreferences(BiConsumer<String, String> apply) {
        top.addPreferences(apply);
    }

    /** A button labelled with the text under {@code key}, found by {@code id} (tests, CSS). */
    static Button button(Messages text, String id, String key, Runnable action) {
        Button b = new Button(text.get(key));
        b.setId(id);
        b.setMinWidth(Region.USE_PREF_SIZE);
        b.setOnAction(e -> action.run());
        return b;
    }
}

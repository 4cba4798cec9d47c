package org.callibry.softphone.ui;

import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.scene.web.WebView;
import netscape.javascript.JSObject;
import org.callibry.shared.i18n.Messages;
import org.callibry.softphone.contacts.PersonalContacts;

/**
 * The main window: registration and operator status always visible at the top, number field, keypad
 * and call controls on the left, contacts / history / chat tabs, and the CRM page (WebView) on the
 * right with a JavaScript bridge ({@code window.callibry}) for the page.
 */
public final class MainView {
    private final MainViewModel vm;
    private final Messages text;
    private final BorderPane root = new BorderPane();
    private WebView browser;
    /** Held here: WebView keeps only a weak reference to objects given to JavaScript. */
    private Bridge bridge;

    public MainView(MainViewModel vm, Messages text, boolean withBrowser) {
        this.vm = vm;
        this.text = text;
        build(withBrowser);
    }

    public Parent root() {
        return root;
    }

    private Button button(String id, String key, Runnable action) {
        Button b = new Button(text.get(key));
        b.setId(id);
        b.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        b.setOnAction(e -> action.run());
        return b;
    }

    private void build(boolean withBrowser) {
        Label registration = new Label();
        registration.setId("registration");
        registration.textProperty().bind(vm.registration);
        registration.getStyleClass().add("registration");
        vm.registered.addListener((o, was, is) -> registration.pseudoClassStateChanged(
                javafx.css.PseudoClass.getPseudoClass("ok"), is));
        ToggleButton status = new ToggleButton();
        status.setId("status");
        status.setSelected(vm.available.get());
        vm.available.addListener((o, was, is) -> status.setSelected(is));
        status.setOnAction(e -> vm.setAvailable(status.isSelected(), vm.unavailableReason.get()));
        status.textProperty().bind(Bindings.when(vm.available).then(text.get("status.free")).otherwise(text.get("status.unavailable")));
        TextField reason = new TextField();
        reason.setId("statusReason");
        reason.setPromptText(text.get("status.reason"));
        reason.visibleProperty().bind(vm.available.not());
        reason.textProperty().bindBidirectional(vm.unavailableReason);
        HBox top = new HBox(10, registration, status, reason);
        top.setAlignment(Pos.CENTER_LEFT);
        top.setPadding(new Insets(8));
        top.getStyleClass().add("top-bar");
        root.setTop(top);

        TextField number = new TextField();
        number.setId("number");
        number.setPromptText(text.get("dial.prompt"));
        number.textProperty().bindBidirectional(vm.number);
        number.setOnAction(e -> vm.dial());
        GridPane keypad = new GridPane();
        keypad.setHgap(4);
        keypad.setVgap(4);
        String keys = "123456789*0#";
        for (int i = 0; i < keys.length(); i++) {
            char k = keys.charAt(i);
            Button b = new Button(String.valueOf(k));
            b.setId("key" + (k == '*' ? "Star" : k == '#' ? "Hash" : String.valueOf(k)));
            b.setPrefSize(48, 36);
            b.setOnAction(e -> vm.digit(k));
            keypad.add(b, i % 3, i / 3);
        }
        Button dial = button("dial", "call.dial", vm::dial);
        Button answer = button("answer", "call.answer", vm::answer);
        Button hangup = button("hangup", "call.hangup", vm::hangup);
        ToggleButton hold = new ToggleButton(text.get("call.hold"));
        hold.setId("hold");
        hold.setOnAction(e -> vm.toggleHold());
        vm.held.addListener((o, a, b) -> hold.setSelected(b));
        ToggleButton mute = new ToggleButton(text.get("call.mute"));
        mute.setId("mute");
        mute.setOnAction(e -> vm.toggleMute());
        vm.muted.addListener((o, a, b) -> mute.setSelected(b));
        TextField transferTo = new TextField();
        transferTo.setId("transferTo");
        transferTo.setPromptText(text.get("call.transferTo"));
        Button transfer = button("transfer", "call.transfer", () -> vm.transfer(transferTo.getText()));
        Button consult = button("consult", "call.consult", () -> vm.consult(transferTo.getText()));
        Button complete = button("completeTransfer", "call.completeTransfer", vm::completeTransfer);
        dial.disableProperty().bind(vm.call.isNotNull());
        answer.disableProperty().bind(vm.call.isNull());
        hangup.disableProperty().bind(vm.call.isNull());
        hold.disableProperty().bind(vm.call.isNull());
        mute.disableProperty().bind(vm.call.isNull());
        transfer.disableProperty().bind(vm.call.isNull());
        consult.disableProperty().bind(vm.call.isNull());
        complete.disableProperty().bind(vm.waiting.isEmpty());
        Label callStatus = new Label();
        callStatus.setId("callStatus");
        callStatus.textProperty().bind(vm.callStatus);
        callStatus.setWrapText(true);
        Label waiting = new Label();
        waiting.setId("waiting");
        waiting.textProperty().bind(vm.waiting);
        VBox left = new VBox(8, number, keypad, new HBox(4, dial, answer, hangup), new HBox(4, hold, mute),
                new HBox(4, transferTo, transfer), new HBox(4, consult, complete), callStatus, waiting);
        left.setPadding(new Insets(8));
        left.setPrefWidth(320);
        left.setMinWidth(300);
        left.getStyleClass().add("call-panel");

        TextField search = new TextField();
        search.setId("search");
        search.setPromptText(text.get("contacts.search"));
        search.textProperty().bindBidirectional(vm.search);
        ListView<PersonalContacts.Contact> contacts = new ListView<>(vm.contacts);
        contacts.setId("contacts");
        contacts.setCellFactory(l -> new javafx.scene.control.ListCell<>() {
            @Override
            protected void updateItem(PersonalContacts.Contact c, boolean empty) {
                super.updateItem(c, empty);
                setText(empty || c == null ? null : c.name() + "  " + c.number());
            }
        });
        contacts.setOnMouseClicked(e -> {
            PersonalContacts.Contact c = contacts.getSelectionModel().getSelectedItem();
            if (c != null && e.getClickCount() == 2) {
                vm.number.set(c.number());
                vm.dial();
            }
        });
        ListView<String> chat = new ListView<>(vm.chat);
        chat.setId("chat");
        TextField chatTo = new TextField();
        chatTo.setId("chatTo");
        chatTo.setPromptText(text.get("chat.to"));
        TextField chatText = new TextField();
        chatText.setId("chatText");
        chatText.setPromptText(text.get("chat.text"));
        chatText.setOnAction(e -> {
            vm.sendMessage(chatTo.getText(), chatText.getText());
            chatText.clear();
        });
        HBox.setHgrow(chatText, Priority.ALWAYS);
        VBox chatPane = new VBox(4, chat, new HBox(4, chatTo, chatText));
        VBox.setVgrow(chat, Priority.ALWAYS);
        ListView<String> history = new ListView<>(vm.history);
        history.setId("history");
        history.setOnMouseClicked(e -> {
            String entry = history.getSelectionModel().getSelectedItem();
            if (entry != null && e.getClickCount() == 2) {
                vm.number.set(entry.split("\\s+")[2]); // "time kind number ..." : call back
                vm.dial();
            }
        });
        TabPane tabs = new TabPane(new Tab(text.get("tab.contacts"), new VBox(4, search, contacts)),
                new Tab(text.get("tab.history"), history), new Tab(text.get("tab.chat"), chatPane));
        tabs.getTabs().forEach(t -> t.setClosable(false));
        VBox.setVgrow(contacts, Priority.ALWAYS);

        SplitPane center = new SplitPane(tabs);
        if (withBrowser) {
            browser = new WebView();
            browser.setId("crm");
            vm.crmUrl.addListener((o, was, url) -> {
                if (url != null && !url.isBlank()) {
                    browser.getEngine().load(url);
                }
            });
            browser.getEngine().getLoadWorker().stateProperty().addListener((o, was, state) -> {
                if (state == javafx.concurrent.Worker.State.SUCCEEDED) {
                    JSObject window = (JSObject) browser.getEngine().executeScript("window");
                    bridge = new Bridge(vm);
                    window.setMember("callibry", bridge);
                }
            });
            // every call event goes to the page too: window.callibryEvent({callId, state, direction, peer, peerName, reason})
            vm.lastEvent.addListener((o, was, event) -> {
                if (event != null && browser.getEngine().getLoadWorker().getState() == javafx.concurrent.Worker.State.SUCCEEDED) {
                    browser.getEngine().executeScript(org.callibry.softphone.crm.CallEvent.script(event));
                }
            });
            center.getItems().add(browser);
            center.setDividerPositions(0.4);
        }
        root.setLeft(left);
        root.setCenter(center);
        // call-center keys: F2 answer, F3 hang up, F4 hold, F5 mute (also while typing in a field)
        root.sceneProperty().addListener((o, was, scene) -> {
            if (scene != null) {
                scene.getAccelerators().put(new javafx.scene.input.KeyCodeCombination(javafx.scene.input.KeyCode.F2), vm::answer);
                scene.getAccelerators().put(new javafx.scene.input.KeyCodeCombination(javafx.scene.input.KeyCode.F3), vm::hangup);
                scene.getAccelerators().put(new javafx.scene.input.KeyCodeCombination(javafx.scene.input.KeyCode.F4), vm::toggleHold);
                scene.getAccelerators().put(new javafx.scene.input.KeyCodeCombination(javafx.scene.input.KeyCode.F5), vm::toggleMute);
            }
        });
    }

    /** Adds the theme and language choices to the top bar; {@code apply} gets ("theme"|"lang", value). */
    public void addPreferences(java.util.function.BiConsumer<String, String> apply) {
        javafx.scene.control.MenuButton prefs = new javafx.scene.control.MenuButton(text.get("menu.preferences"));
        prefs.setId("preferences");
        javafx.scene.control.MenuItem light = new javafx.scene.control.MenuItem(text.get("theme.light"));
        light.setId("themeLight");
        light.setOnAction(e -> apply.accept("theme", "light"));
        javafx.scene.control.MenuItem dark = new javafx.scene.control.MenuItem(text.get("theme.dark"));
        dark.setId("themeDark");
        dark.setOnAction(e -> apply.accept("theme", "dark"));
        javafx.scene.control.MenuItem en = new javafx.scene.control.MenuItem(text.get("language.en"));
        en.setId("langEn");
        en.setOnAction(e -> apply.accept("lang", "en"));
        javafx.scene.control.MenuItem ru = new javafx.scene.control.MenuItem(text.get("language.ru"));
        ru.setId("langRu");
        ru.setOnAction(e -> apply.accept("lang", "ru"));
        javafx.scene.control.MenuItem settings = new javafx.scene.control.MenuItem(text.get("menu.settings"));
        settings.setId("settingsItem");
        settings.setOnAction(e -> apply.accept("settings", ""));
        prefs.getItems().addAll(settings, new javafx.scene.control.SeparatorMenuItem(), light, dark,
                new javafx.scene.control.SeparatorMenuItem(), en, ru);
        ((HBox) root.getTop()).getChildren().add(prefs);
    }

    /** What the CRM page may ask of the phone: {@code window.callibry.dial('1002')} and friends. */
    public static final class Bridge {
        private final MainViewModel vm;

        Bridge(MainViewModel vm) {
            this.vm = vm;
        }

        public void dial(String number) {
            vm.number.set(number);
            vm.dial();
        }

        public void hangup() {
            vm.hangup();
        }

        public void hold() {
            vm.toggleHold();
        }

        public void transfer(String target) {
            vm.transfer(target);
        }

        public void setStatus(boolean free, String reason) {
            vm.setAvailable(free, reason);
        }
    }
}

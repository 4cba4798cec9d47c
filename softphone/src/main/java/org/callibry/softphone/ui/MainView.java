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
        // several accounts: the line outgoing calls and messages use
        javafx.scene.control.ChoiceBox<String> from = new javafx.scene.control.ChoiceBox<>(vm.accounts);
        from.setId("fromAccount");
        from.valueProperty().bindBidirectional(vm.outgoingAccount);
        HBox fromRow = new HBox(6, new Label(text.get("call.from")), from);
        fromRow.setAlignment(Pos.CENTER_LEFT);
        fromRow.visibleProperty().bind(Bindings.size(vm.accounts).greaterThan(1));
        fromRow.managedProperty().bind(fromRow.visibleProperty());
        VBox left = new VBox(8, fromRow, number, keypad, new HBox(4, dial, answer, hangup), new HBox(4, hold, mute),
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
        Tab chatTab = new Tab();
        chatTab.setId("chatTab");
        chatTab.textProperty().bind(Bindings.when(vm.chat.unread.greaterThan(0))
                .then(Bindings.concat(text.get("tab.chat"), " (", vm.chat.unread, ")")).otherwise(text.get("tab.chat")));
        chatTab.setContent(chatPane());
        Runnable callSelected = () -> {
            PersonalContacts.Contact c = contacts.getSelectionModel().getSelectedItem();
            if (c != null) {
                vm.number.set(c.number());
                vm.dial();
            }
        };
        Runnable messageSelected = () -> {
            PersonalContacts.Contact c = contacts.getSelectionModel().getSelectedItem();
            if (c != null) {
                vm.chat.open(c.number());
                chatTab.getTabPane().getSelectionModel().select(chatTab);
            }
        };
        javafx.scene.control.MenuItem callItem = new javafx.scene.control.MenuItem(text.get("contacts.call"));
        callItem.setOnAction(e -> callSelected.run());
        javafx.scene.control.MenuItem messageItem = new javafx.scene.control.MenuItem(text.get("contacts.message"));
        messageItem.setOnAction(e -> messageSelected.run());
        contacts.setContextMenu(new javafx.scene.control.ContextMenu(callItem, messageItem));
        Button callContact = button("callContact", "contacts.call", callSelected);
        Button messageContact = button("messageContact", "contacts.message", messageSelected);
        callContact.disableProperty().bind(contacts.getSelectionModel().selectedItemProperty().isNull());
        messageContact.disableProperty().bind(contacts.getSelectionModel().selectedItemProperty().isNull());
        ListView<String> history = new ListView<>(vm.history);
        history.setId("history");
        history.setOnMouseClicked(e -> {
            String entry = history.getSelectionModel().getSelectedItem();
            if (entry != null && e.getClickCount() == 2) {
                vm.number.set(entry.split("\\s+")[2]); // "time kind number ..." : call back
                vm.dial();
            }
        });
        TabPane tabs = new TabPane(new Tab(text.get("tab.contacts"), new VBox(4, search, contacts,
                new HBox(4, callContact, messageContact))),
                new Tab(text.get("tab.history"), history), chatTab);
        tabs.getTabs().forEach(t -> t.setClosable(false));
        vm.chat.showing.bind(chatTab.selectedProperty());
        VBox.setVgrow(contacts, Priority.ALWAYS);

        SplitPane center = new SplitPane(tabs);
        if (withBrowser) {
            // WebKit takes a second or more to start: the window shows first, the browser joins it just after
            javafx.scene.layout.StackPane holder = new javafx.scene.layout.StackPane();
            center.getItems().add(holder);
            center.setDividerPositions(0.4);
            javafx.application.Platform.runLater(() -> holder.getChildren().add(browser()));
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

    /** The CRM page: loads the URL the model gives, offers the bridge to the page and passes it every call event. */
    private WebView browser() {
        browser = new WebView();
        browser.setId("crm");
        java.util.function.Consumer<String> load = url -> {
            if (url != null && !url.isBlank()) {
                browser.getEngine().load(url);
            }
        };
        vm.crmUrl.addListener((o, was, url) -> load.accept(url));
        load.accept(vm.crmUrl.get()); // a call that rang before the browser was there
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
        return browser;
    }

    /**
     * The chat tab: conversations on the left (a number field opens a new one), the open one on the
     * right with each message's time and delivery state, and the field that sends.
     */
    private Parent chatPane() {
        ChatViewModel chat = vm.chat;
        TextField to = new TextField();
        to.setId("chatTo");
        to.setPromptText(text.get("chat.to"));
        to.setOnAction(e -> {
            chat.open(to.getText());
            to.clear();
        });
        ListView<org.callibry.softphone.chat.ChatLog.Conversation> list = new ListView<>(chat.conversations);
        list.setId("conversations");
        list.setCellFactory(l -> new javafx.scene.control.ListCell<>() {
            {
                prefWidthProperty().bind(l.widthProperty().subtract(18)); // no sideways scrolling: long text ends in "…"
            }

            @Override
            protected void updateItem(org.callibry.softphone.chat.ChatLog.Conversation c, boolean empty) {
                super.updateItem(c, empty);
                getStyleClass().remove("unread");
                if (empty || c == null) {
                    setText(null);
                    return;
                }
                String preview = c.last().text().replace('\n', ' ');
                preview = preview.length() > 40 ? preview.substring(0, 40) + "…" : preview;
                setText(chat.label(c.peer(), c.peerName()) + (c.unread() > 0 ? "  [" + c.unread() + "]" : "") + "\n" + preview);
                if (c.unread() > 0) {
                    getStyleClass().add("unread");
                }
            }
        });
        list.getSelectionModel().selectedItemProperty().addListener((o, was, c) -> {
            if (c != null) {
                chat.open(c.peer());
            }
        });
        list.setPrefWidth(190);
        VBox.setVgrow(list, Priority.ALWAYS);
        VBox left = new VBox(4, to, list);

        Label header = new Label();
        header.setId("chatPeer");
        header.getStyleClass().add("chat-peer");
        header.textProperty().bind(Bindings.createStringBinding(() -> chat.peer.get().isBlank() ? text.get("chat.none")
                : chat.label(chat.peer.get(), chat.conversations.stream().filter(c -> c.peer().equals(chat.peer.get()))
                        .map(org.callibry.softphone.chat.ChatLog.Conversation::peerName).findFirst().orElse("")),
                chat.peer, chat.conversations));
        java.time.format.DateTimeFormatter time = java.time.format.DateTimeFormatter.ofPattern("HH:mm")
                .withZone(java.time.ZoneId.systemDefault());
        ListView<org.callibry.softphone.chat.ChatLog.Message> messages = new ListView<>(chat.messages);
        messages.setId("chat");
        messages.setCellFactory(l -> new javafx.scene.control.ListCell<>() {
            {
                prefWidthProperty().bind(l.widthProperty().subtract(18)); // long messages wrap
                setWrapText(true);
            }

            @Override
            protected void updateItem(org.callibry.softphone.chat.ChatLog.Message m, boolean empty) {
                super.updateItem(m, empty);
                getStyleClass().removeAll("chat-in", "chat-out", "chat-failed");
                if (empty || m == null) {
                    setText(null);
                    return;
                }
                String state = switch (m.status()) {
                    case SENDING -> "  · " + text.get("chat.sending");
                    case DELIVERED -> "  ✓";
                    case FAILED -> "  ✗ " + text.get("chat.failed") + (m.reason() == null ? "" : ": " + m.reason());
                    case UNCONFIRMED -> "  ? " + text.get("chat.unconfirmed");
                    case RECEIVED -> "";
                };
                setText(time.format(m.time()) + (m.outgoing() ? "  → " : "  ← ") + m.text() + state);
                getStyleClass().add(m.status() == org.callibry.softphone.chat.ChatLog.Status.FAILED ? "chat-failed"
                        : m.outgoing() ? "chat-out" : "chat-in");
            }
        });
        chat.messages.addListener((javafx.collections.ListChangeListener<Object>) c -> {
            if (!chat.messages.isEmpty()) {
                messages.scrollTo(chat.messages.size() - 1);
            }
        });
        TextField input = new TextField();
        input.setId("chatText");
        input.setPromptText(text.get("chat.text"));
        Button send = button("chatSend", "chat.send", () -> {
            chat.send(input.getText());
            input.clear();
        });
        input.setOnAction(e -> send.fire());
        input.disableProperty().bind(chat.peer.isEmpty());
        send.disableProperty().bind(chat.peer.isEmpty().or(input.textProperty().isEmpty()));
        HBox.setHgrow(input, Priority.ALWAYS);
        VBox.setVgrow(messages, Priority.ALWAYS);
        VBox right = new VBox(4, header, messages, new HBox(4, input, send));
        HBox.setHgrow(right, Priority.ALWAYS);
        HBox pane = new HBox(6, left, right);
        pane.setPadding(new Insets(4));
        return pane;
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

package org.callibry.softphone.ui;

import javafx.beans.binding.Bindings;
import javafx.scene.control.Button;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.MenuItem;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.callibry.shared.i18n.Messages;
import org.callibry.softphone.contacts.PersonalContacts;

/**
 * The main window's tabs: contacts (search, call or message the one selected), the call history (a
 * double click calls back) and the chat ({@link ChatPane}, its title counting unread messages).
 */
final class DirectoryTabs {
    private final TabPane tabs;

    DirectoryTabs(MainViewModel vm, Messages text) {
        TextField search = new TextField();
        search.setId("search");
        search.setPromptText(text.get("contacts.search"));
        search.textProperty().bindBidirectional(vm.search);
        ListView<PersonalContacts.Contact> contacts = new ListView<>(vm.contacts);
        contacts.setId("contacts");
        contacts.setCellFactory(l -> new ListCell<>() {
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
        chatTab.setContent(new ChatPane(vm.chat, text).node());
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
        MenuItem callItem = new MenuItem(text.get("contacts.call"));
        callItem.setOnAction(e -> callSelected.run());
        MenuItem messageItem = new MenuItem(text.get("contacts.message"));
        messageItem.setOnAction(e -> messageSelected.run());
        contacts.setContextMenu(new ContextMenu(callItem, messageItem));
        Button callContact = MainView.button(text, "callContact", "contacts.call", callSelected);
        Button messageContact = MainView.button(text, "messageContact", "contacts.message", messageSelected);
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
        tabs = new TabPane(new Tab(text.get("tab.contacts"), new VBox(4, search, contacts,
                new HBox(4, callContact, messageContact))),
                new Tab(text.get("tab.history"), history), chatTab);
        tabs.getTabs().forEach(t -> t.setClosable(false));
        vm.chat.showing.bind(chatTab.selectedProperty());
        VBox.setVgrow(contacts, Priority.ALWAYS);
    }

    TabPane node() {
        return tabs;
    }
}

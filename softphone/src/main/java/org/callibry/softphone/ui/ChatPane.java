package org.callibry.softphone.ui;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.callibry.shared.i18n.Messages;
import org.callibry.softphone.chat.ChatLog;

/**
 * The chat tab: conversations on the left (a number field opens a new one), the open one on the
 * right with each message's time and delivery state, and the field that sends.
 */
final class ChatPane {
    private final ChatViewModel chat;
    private final Messages text;
    private final HBox pane;

    ChatPane(ChatViewModel chat, Messages text) {
        this.chat = chat;
        this.text = text;
        VBox right = new VBox(4, header(), messages(), sendRow());
        HBox.setHgrow(right, Priority.ALWAYS);
        pane = new HBox(6, conversations(), right);
        pane.setPadding(new Insets(4));
    }

    HBox node() {
        return pane;
    }

    private VBox conversations() {
        TextField to = new TextField();
        to.setId("chatTo");
        to.setPromptText(text.get("chat.to"));
        to.setOnAction(e -> {
            chat.open(to.getText());
            to.clear();
        });
        ListView<ChatLog.Conversation> list = new ListView<>(chat.conversations);
        list.setId("conversations");
        list.setCellFactory(l -> new ListCell<>() {
            {
                prefWidthProperty().bind(l.widthProperty().subtract(18)); // no sideways scrolling: long text ends in "…"
            }

            @Override
            protected void updateItem(ChatLog.Conversation c, boolean empty) {
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
        return new VBox(4, to, list);
    }

    private Label header() {
        Label header = new Label();
        header.setId("chatPeer");
        header.getStyleClass().add("chat-peer");
        header.textProperty().bind(Bindings.createStringBinding(() -> chat.peer.get().isBlank() ? text.get("chat.none")
                : chat.label(chat.peer.get(), chat.conversations.stream().filter(c -> c.peer().equals(chat.peer.get()))
                        .map(ChatLog.Conversation::peerName).findFirst().orElse("")),
                chat.peer, chat.conversations));
        return header;
    }

    private ListView<ChatLog.Message> messages() {
        DateTimeFormatter time = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneId.systemDefault());
        ListView<ChatLog.Message> messages = new ListView<>(chat.messages);
        messages.setId("chat");
        messages.setCellFactory(l -> new ListCell<>() {
            {
                prefWidthProperty().bind(l.widthProperty().subtract(18)); // long messages wrap
                setWrapText(true);
            }

            @Override
            protected void updateItem(ChatLog.Message m, boolean empty) {
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
                getStyleClass().add(m.status() == ChatLog.Status.FAILED ? "chat-failed" : m.outgoing() ? "chat-out" : "chat-in");
            }
        });
        chat.messages.addListener((ListChangeListener<Object>) c -> {
            if (!chat.messages.isEmpty()) {
                messages.scrollTo(chat.messages.size() - 1);
            }
        });
        VBox.setVgrow(messages, Priority.ALWAYS);
        return messages;
    }

    private HBox sendRow() {
        TextField input = new TextField();
        input.setId("chatText");
        input.setPromptText(text.get("chat.text"));
        Button send = MainView.button(text, "chatSend", "chat.send", () -> {
            chat.send(input.getText());
            input.clear();
        });
        input.setOnAction(e -> send.fire());
        input.disableProperty().bind(chat.peer.isEmpty());
        send.disableProperty().bind(chat.peer.isEmpty().or(input.textProperty().isEmpty()));
        HBox.setHgrow(input, Priority.ALWAYS);
        return new HBox(4, input, send);
    }
}

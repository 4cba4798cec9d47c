package org.callibry.softphone.ui;

import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.callibry.softphone.chat.ChatLog;
import org.callibry.softphone.phone.Phone;

/**
 * The chat tab (MVVM): the conversations, most recent first with their unread counts, and the one
 * opened, whose messages show with their delivery state. Messages go out as SIP MESSAGE through the
 * phone; each one is kept in the {@link ChatLog} before it is sent.
 */
public final class ChatViewModel implements Phone.Listener {
    private final Phone phone;
    private final Consumer<Runnable> fx;
    private ChatLog log;
    /** Whether this model writes arriving messages into the log, or the application does (from its start on). */
    private boolean recordsArrivals = true;
    private Map<String, String> names = Map.of();

    final ObservableList<ChatLog.Conversation> conversations = FXCollections.observableArrayList();
    final ObservableList<ChatLog.Message> messages = FXCollections.observableArrayList();
    /** The other party of the conversation open (a number), empty when none is. */
    final StringProperty peer = new SimpleStringProperty("");
    /** Messages not yet seen, over all conversations (shown on the tab). */
    final IntegerProperty unread = new SimpleIntegerProperty();
    /** Whether the operator is looking at the chat (messages arriving in the open conversation are then read). */
    final BooleanProperty showing = new SimpleBooleanProperty();

    ChatViewModel(Phone phone, Consumer<Runnable> fx) {
        this.phone = phone;
        this.fx = fx;
        this.log = ChatLog.inMemory();
        phone.addListener(this);
        peer.addListener((o, was, is) -> markRead());
        showing.addListener((o, was, is) -> {
            if (is) {
                markRead();
            }
        });
    }

    /** Stops following the phone and the log (the window it served is gone). */
    void close() {
        phone.removeListener(this);
        log.removeListener(logChanged);
    }

    /** Any change of the log (also one made for an earlier window, or by the application) is shown. */
    private final Runnable logChanged = () -> fxRefresh();

    private void fxRefresh() {
        fx.accept(this::refresh);
    }

    /**
     * Shows the conversations of {@code log} (the config directory's) from now on; the application
     * records arriving messages into it itself (so that none is missed while no window is open), this
     * model only shows them.
     */
    public void useLog(ChatLog log) {
        this.log.removeListener(logChanged);
        this.log = log;
        this.recordsArrivals = false;
        log.addListener(logChanged);
        refresh();
    }

    /** Names to show for numbers the messages do not name (the contacts). */
    void setNames(Map<String, String> names) {
        this.names = Map.copyOf(names);
        refresh();
    }

    /** The name to show for {@code number}: the sender's, else a contact's, else the number itself. */
    String label(String number, String name) {
        if (name != null && !name.isBlank()) {
            return name + " (" + number + ")";
        }
        String contact = names.get(number);
        return contact == null ? number : contact + " (" + number + ")";
    }

    public StringProperty peerProperty() {
        return peer;
    }

    /** Opens the conversation with {@code number} (a new one if there was none). */
    public void open(String number) {
        String n = number == null ? "" : number.strip();
        if (n.isEmpty()) {
            return;
        }
        peer.set(n);
        markRead();
    }

    /** Sends {@code text} in the open conversation; blank text or no conversation does nothing. */
    public void send(String text) {
        String to = peer.get();
        if (to == null || to.isBlank() || text == null || text.isBlank()) {
            return;
        }
        ChatLog.Message m = log.sending(to, text.strip());
        refresh();
        phone.sendMessage(to, m.text()).whenComplete((ok, failure) -> fx.accept(() -> {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (cause instanceof Phone.UnconfirmedException) {
                log.settle(m, ChatLog.Status.UNCONFIRMED, null); // the server may well have it
            } else {
                log.settle(m, failure == null, failure == null ? null : reason(failure));
            }
            refresh();
        }));
    }

    private static String reason(Throwable t) {
        Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    private void markRead() {
        if (showing.get() && !peer.get().isBlank()) {
            log.read(peer.get());
        }
        refresh();
    }

    private void refresh() {
        conversations.setAll(log.conversations());
        messages.setAll(peer.get().isBlank() ? java.util.List.of() : log.messages(peer.get()));
        unread.set(log.unread());
    }

    @Override
    public void message(String from, String fromName, String text) {
        fx.accept(() -> {
            if (recordsArrivals) {
                log.received(from, fromName, text);
            }
            if (peer.get().isBlank()) {
                peer.set(from); // the first conversation opens by itself
            }
            markRead();
        });
    }
}

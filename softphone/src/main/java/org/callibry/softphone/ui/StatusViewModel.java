package org.callibry.softphone.ui;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BiConsumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.callibry.shared.api.dto.Agents;
import org.callibry.shared.i18n.Messages;

/**
 * The operator's status control and live state (MVVM, no window): the status the operator chooses —
 * available, paused with a reason, logged out — goes to the server ({@link #onChange}); what the server
 * says ({@link #show}: at start, in answer to a change, and each {@code agent.statusChanged} push,
 * also a supervisor's change or the server's auto-pause) is what the control shows, with the live
 * state beside it ("Busy", "Wrap-up 0:05" counting down to its end). Runs on the UI thread.
 */
public final class StatusViewModel {
    /** The server's limit on a reason ({@code Agents.SetStatus}). */
    static final int MAX_REASON = 200;
    /** The common pause reasons offered, as keys of the text bundle. */
    private static final List<String> REASON_KEYS = List.of("pause.break", "pause.lunch", "pause.meeting", "pause.training");

    private final Messages text;
    private final Clock clock;

    /** The status the control shows: the server's, or the one just sent. */
    final ObjectProperty<Agents.Status> status = new SimpleObjectProperty<>(Agents.Status.FREE);
    /** The pause reason in the field. */
    final StringProperty reason = new SimpleStringProperty("");
    /** The common reasons, in the window's language. */
    final ObservableList<String> reasons = FXCollections.observableArrayList();
    /** Paused was chosen and the reason is asked for: nothing is sent until one is given. */
    final BooleanProperty askingReason = new SimpleBooleanProperty();
    /** What is wrong with the last choice (shown at the field), empty when nothing. */
    final StringProperty error = new SimpleStringProperty("");
    /** The live state as text, empty before the server told it. */
    final StringProperty liveState = new SimpleStringProperty("");
    /** A countdown is shown: the view calls {@link #tick} each second while this is true. */
    final BooleanProperty counting = new SimpleBooleanProperty();

    private Agents.AgentStatus server;
    private BiConsumer<Agents.Status, String> sink = (s, r) -> { };

    StatusViewModel(Messages text, Clock clock) {
        this.text = text;
        this.clock = clock;
        REASON_KEYS.forEach(k -> reasons.add(text.get(k)));
    }

    /** Where the operator's choices go (the server's {@code agent.setStatus}), with the reason ("" when none). */
    public void onChange(BiConsumer<Agents.Status, String> sink) {
        this.sink = sink;
    }

    /** The operator picked a status: available and logged out go at once, paused asks for the reason first. */
    public void choose(Agents.Status s) {
        error.set("");
        if (s == Agents.Status.PAUSED) {
            askingReason.set(status.get() != Agents.Status.PAUSED);
            return;
        }
        askingReason.set(false);
        if (s != status.get()) {
            status.set(s);
            reason.set("");
            sink.accept(s, "");
        }
    }

    /** The operator gave the pause reason (picked or typed): paused with it, or the error at the field. */
    public void pause(String given) {
        String r = given == null ? "" : given.strip();
        if (r.isEmpty()) {
            error.set(text.get("status.error.reasonRequired"));
            return;
        }
        if (r.length() > MAX_REASON) {
            error.set(text.get("status.error.reasonTooLong"));
            return;
        }
        error.set("");
        boolean same = status.get() == Agents.Status.PAUSED && r.equals(reason.get()) && !askingReason.get();
        askingReason.set(false);
        status.set(Agents.Status.PAUSED);
        reason.set(r);
        if (!same) {
            sink.accept(Agents.Status.PAUSED, r);
        }
    }

    /** The operator gave up choosing a reason: the control shows the status as it was. */
    public void cancelReason() {
        askingReason.set(false);
        error.set("");
    }

    /**
     * The status as the server holds it — at start, in answer to a change, or pushed because it
     * changed (by the operator elsewhere, a supervisor or the server): the control follows at once.
     */
    public void show(Agents.AgentStatus s) {
        server = s;
        status.set(s.status());
        if (s.status() == Agents.Status.PAUSED) {
            askingReason.set(false); // the server paused us: its reason stands
            reason.set(s.reason() == null ? "" : s.reason());
        } else if (!askingReason.get()) {
            reason.set("");
        }
        tick();
    }

    /** The server refused the change or could not be reached: the error at the field, the control as the server has it. */
    public void refused(String why) {
        askingReason.set(false);
        error.set(text.get("status.error.notSent") + " " + why);
        if (server != null) {
            status.set(server.status());
            reason.set(server.status() == Agents.Status.PAUSED && server.reason() != null ? server.reason() : "");
        }
    }

    /** There is no connection to the server's API to send a change over. */
    public void notConnected() {
        refused(text.get("status.error.noServer"));
    }

    /** Updates the live state (the countdown); the view calls it each second while {@link #counting}. */
    public void tick() {
        if (server == null) {
            liveState.set("");
            counting.set(false);
            return;
        }
        liveState.set(liveText(server, clock.instant(), text));
        counting.set(state(server) == Agents.State.WRAP_UP && server.wrapUpEndsAt() != null);
    }

    /** Stops the countdown: the window is rebuilt or closed. */
    void close() {
        counting.set(false);
    }

    /** The live state; a server that does not tell it yet has it follow the chosen status. */
    private static Agents.State state(Agents.AgentStatus s) {
        if (s.state() != null) {
            return s.state();
        }
        return switch (s.status()) {
            case FREE -> Agents.State.FREE;
            case PAUSED -> Agents.State.PAUSED;
            case UNAVAILABLE -> Agents.State.UNAVAILABLE;
        };
    }

    /**
     * The live state as the top bar shows it: "Busy", "Paused — Lunch", "Wrap-up 0:05" (the time left
     * until {@code wrapUpEndsAt}, as of {@code now}).
     */
    static String liveText(Agents.AgentStatus s, Instant now, Messages text) {
        Agents.State state = state(s);
        String name = text.get("state." + state.name());
        if (state == Agents.State.PAUSED && s.reason() != null && !s.reason().isBlank()) {
            return name + " — " + s.reason().strip();
        }
        if (state == Agents.State.WRAP_UP && s.wrapUpEndsAt() != null) {
            return name + " " + countdown(Duration.between(now, s.wrapUpEndsAt()));
        }
        return name;
    }

    /**
     * Time left as a countdown shows it: {@code m:ss}, {@code h:mm:ss} from an hour; whole seconds
     * rounded up, so it reads 0:00 only when the time is up; never negative.
     */
    static String countdown(Duration left) {
        long millis = Math.max(0, left.toMillis());
        long seconds = (millis + 999) / 1000;
        long h = seconds / 3600;
        long m = seconds % 3600 / 60;
        long sec = seconds % 60;
        return h > 0 ? String.format("%d:%02d:%02d", h, m, sec) : String.format("%d:%02d", m, sec);
    }
}

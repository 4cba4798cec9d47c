package org.callibry.softphone.ui;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.geometry.Rectangle2D;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.Screen;
import javafx.stage.Stage;
import javafx.stage.StageStyle;
import org.callibry.shared.i18n.Messages;
import org.callibry.softphone.phone.Phone;

/**
 * The incoming-call notification: while the main window is not focused, a ringing call opens a
 * small always-on-top window in the screen's bottom-right corner with the caller and Answer / Reject
 * buttons for that call; it closes when the call is answered, rejected or gone, and shows the next
 * call still ringing, if any (calls on several lines). Nothing shows when the window has the focus or
 * the phone answers by itself.
 */
public final class IncomingCallNotifier implements Phone.Listener {
    private final Phone phone;
    private final Supplier<Messages> text;
    private final BooleanSupplier mainFocused;
    private final BooleanSupplier autoAnswer;
    private final Consumer<Scene> style;
    private Stage window;
    /** The call the window shows. */
    private String callId;
    /** The calls ringing now, in the order they came. */
    private final java.util.Map<String, Phone.CallInfo> ringing = new java.util.LinkedHashMap<>();
    /** The calls going on (neither ringing nor ended): the phone answers by itself only when there is none. */
    private final java.util.Set<String> inProgress = new java.util.HashSet<>();

    /**
     * @param mainFocused whether the main window has the focus
     * @param style       applies the current theme to the notification's scene
     */
    public IncomingCallNotifier(Phone phone, Supplier<Messages> text, BooleanSupplier mainFocused, BooleanSupplier autoAnswer,
                                Consumer<Scene> style) {
        this.phone = phone;
        this.text = text;
        this.mainFocused = mainFocused;
        this.autoAnswer = autoAnswer;
        this.style = style;
        phone.addListener(this);
    }

    @Override
    public void call(Phone.CallInfo call) {
        Platform.runLater(() -> update(call));
    }

    /** Whether the notification window is showing (for the tests and the app). */
    public boolean showing() {
        return window != null && window.isShowing();
    }

    private void update(Phone.CallInfo call) {
        boolean rings = call.incoming() && call.state() == Phone.CallState.RINGING;
        if (rings) {
            ringing.put(call.id(), call);
        } else {
            ringing.remove(call.id());
        }
        if (rings || call.state() == Phone.CallState.ENDED) {
            inProgress.remove(call.id());
        } else {
            inProgress.add(call.id());
        }
        if (callId != null && ringing.containsKey(callId)) {
            return; // the call shown still rings
        }
        close();
        if (ringing.isEmpty() || mainFocused.getAsBoolean() || autoAnswer.getAsBoolean() && inProgress.isEmpty()) {
            return; // with auto-answer a call rings only for a moment when the phone is idle; a waiting one is shown
        }
        show(ringing.values().iterator().next());
    }

    private void show(Phone.CallInfo call) {
        Messages t = text.get();
        Label who = new Label(call.peerName() == null || call.peerName().isBlank() ? call.peer()
                : call.peerName() + " (" + call.peer() + ")");
        who.setId("noticeCaller");
        who.getStyleClass().add("chat-peer");
        Label line = new Label(call.account());
        line.setId("noticeLine");
        line.setVisible(!call.account().isBlank());
        Button answer = new Button(t.get("notify.answer"));
        answer.setId("noticeAnswer");
        answer.setDefaultButton(true);
        answer.setOnAction(e -> phone.answer(call.id()));
        Button reject = new Button(t.get("notify.reject"));
        reject.setId("noticeReject");
        reject.setOnAction(e -> phone.reject(call.id()));
        VBox box = new VBox(8, new Label(t.get("notify.incoming")), who, line, new HBox(8, answer, reject));
        box.setPadding(new Insets(12));
        window = new Stage(StageStyle.UTILITY);
        window.setAlwaysOnTop(true);
        window.setTitle(t.get("notify.incoming") + ": " + call.peer());
        window.setScene(new Scene(box));
        style.accept(window.getScene());
        window.setOnShown(e -> {
            Rectangle2D screen = Screen.getPrimary().getVisualBounds();
            window.setX(screen.getMaxX() - window.getWidth() - 16);
            window.setY(screen.getMaxY() - window.getHeight() - 16);
        });
        callId = call.id();
        window.show();
    }

    private void close() {
        if (window != null) {
            window.close();
            window = null;
        }
        callId = null;
    }
}

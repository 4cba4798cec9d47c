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
 * buttons; it closes when the call is answered, rejected or gone. Nothing shows when the window has
 * the focus or the phone answers by itself.
 */
public final class IncomingCallNotifier implements Phone.Listener {
    private final Phone phone;
    private final Supplier<Messages> text;
    private final BooleanSupplier mainFocused;
    private final BooleanSupplier autoAnswer;
    private final Consumer<Scene> style;
    private Stage window;
    private String callId;

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
        boolean ringing = call.incoming() && call.state() == Phone.CallState.RINGING;
        if (!ringing) {
            if (call.id().equals(callId)) {
                close();
            }
            return;
        }
        if (mainFocused.getAsBoolean() || autoAnswer.getAsBoolean()) {
            return;
        }
        close();
        Messages t = text.get();
        Label who = new Label(call.peerName() == null || call.peerName().isBlank() ? call.peer()
                : call.peerName() + " (" + call.peer() + ")");
        who.setId("noticeCaller");
        who.getStyleClass().add("chat-peer");
        Button answer = new Button(t.get("notify.answer"));
        answer.setId("noticeAnswer");
        answer.setDefaultButton(true);
        answer.setOnAction(e -> {
            phone.answer();
            close();
        });
        Button reject = new Button(t.get("notify.reject"));
        reject.setId("noticeReject");
        reject.setOnAction(e -> {
            phone.reject();
            close();
        });
        VBox box = new VBox(8, new Label(t.get("notify.incoming")), who, new HBox(8, answer, reject));
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

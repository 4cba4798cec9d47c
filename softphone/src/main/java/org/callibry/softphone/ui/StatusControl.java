package org.callibry.softphone.ui;

import java.util.EnumMap;
import java.util.Map;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.application.Platform;
import javafx.css.PseudoClass;
import javafx.geometry.Pos;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.util.Duration;
import org.callibry.shared.api.dto.Agents;
import org.callibry.shared.i18n.Messages;

/**
 * The top bar's operator status ({@link StatusViewModel}): three joined buttons — available, paused,
 * logged out — the pause reason (an editable list of common reasons, opened when Paused is chosen),
 * what is wrong with a choice right beside it, and the live state with its wrap-up countdown.
 */
final class StatusControl {
    private static final PseudoClass ERROR = PseudoClass.getPseudoClass("error");

    private final HBox box;
    /** Set while the field is updated from the model, so that it is not taken for the operator's choice. */
    private boolean syncing;

    StatusControl(StatusViewModel vm, Messages text) {
        ToggleGroup group = new ToggleGroup();
        Map<Agents.Status, ToggleButton> buttons = new EnumMap<>(Agents.Status.class);
        buttons.put(Agents.Status.FREE, segment(group, "statusFree", text.get("status.FREE"), "left-pill"));
        buttons.put(Agents.Status.PAUSED, segment(group, "statusPaused", text.get("status.PAUSED"), "center-pill"));
        buttons.put(Agents.Status.UNAVAILABLE, segment(group, "statusUnavailable", text.get("status.UNAVAILABLE"), "right-pill"));
        // the buttons show the model's choice, never a toggle of their own (a second click does not unselect)
        Runnable select = () -> group.selectToggle(buttons.get(vm.askingReason.get() ? Agents.Status.PAUSED : vm.status.get()));
        buttons.forEach((status, b) -> b.setOnAction(e -> {
            vm.choose(status);
            select.run();
        }));
        vm.status.addListener(o -> select.run());
        vm.askingReason.addListener(o -> select.run());
        select.run();
        HBox segments = new HBox(buttons.values().toArray(ToggleButton[]::new));
        segments.setAlignment(Pos.CENTER_LEFT);
        segments.setMinWidth(Region.USE_PREF_SIZE);

        ComboBox<String> reason = new ComboBox<>(vm.reasons);
        reason.setId("statusReason");
        reason.setEditable(true);
        reason.setPromptText(text.get("status.reason"));
        reason.setPrefWidth(170);
        reason.setMinWidth(Region.USE_PREF_SIZE);
        reason.visibleProperty().bind(vm.askingReason.or(vm.status.isEqualTo(Agents.Status.PAUSED)));
        reason.managedProperty().bind(reason.visibleProperty());
        Runnable showReason = () -> {
            syncing = true;
            reason.setValue(vm.askingReason.get() ? null : vm.reason.get());
            reason.getEditor().setText(vm.askingReason.get() ? "" : vm.reason.get());
            syncing = false;
        };
        vm.reason.addListener(o -> showReason.run());
        showReason.run();
        // a reason picked from the list; not the text the field commits when the focus leaves it (another
        // status was clicked): only Enter gives a typed reason
        reason.setOnAction(e -> {
            if (!syncing && reason.isFocused() && reason.getValue() != null) {
                vm.pause(reason.getValue());
            }
        });
        reason.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ENTER) {
                e.consume(); // also a blank or unchanged text, which the field would not report
                vm.pause(reason.getEditor().getText());
            } else if (e.getCode() == KeyCode.ESCAPE) {
                vm.cancelReason();
                showReason.run();
            }
        });
        // left without a reason (another field, another window): Paused was not meant after all
        reason.focusedProperty().addListener((o, was, focused) -> {
            if (!focused && vm.askingReason.get() && !reason.isShowing() && reason.getEditor().getText().isBlank()) {
                vm.cancelReason();
            }
        });
        vm.askingReason.addListener((o, was, asking) -> {
            showReason.run();
            if (asking) {
                reason.requestFocus();
                Platform.runLater(reason::show); // once the field has its place in the bar
            }
        });

        Label error = new Label();
        error.setId("statusError");
        error.getStyleClass().add("status-error");
        error.textProperty().bind(vm.error);
        error.visibleProperty().bind(vm.error.isNotEmpty());
        error.managedProperty().bind(error.visibleProperty());
        vm.error.addListener((o, was, is) -> reason.pseudoClassStateChanged(ERROR, !is.isEmpty()));

        Label live = new Label();
        live.setId("liveState");
        live.getStyleClass().add("live-state");
        live.textProperty().bind(vm.liveState);
        live.visibleProperty().bind(vm.liveState.isNotEmpty());
        live.managedProperty().bind(live.visibleProperty());
        live.setMinWidth(Region.USE_PREF_SIZE);
        Timeline ticker = new Timeline(new KeyFrame(Duration.seconds(1), e -> vm.tick()));
        ticker.setCycleCount(Animation.INDEFINITE);
        vm.counting.addListener((o, was, is) -> {
            if (is) {
                ticker.play();
            } else {
                ticker.stop();
            }
        });
        if (vm.counting.get()) {
            ticker.play();
        }

        box = new HBox(8, segments, reason, error, live);
        box.setAlignment(Pos.CENTER_LEFT);
    }

    private static ToggleButton segment(ToggleGroup group, String id, String label, String pill) {
        ToggleButton b = new ToggleButton(label);
        b.setId(id);
        b.setToggleGroup(group);
        b.getStyleClass().add(pill);
        b.setMinWidth(Region.USE_PREF_SIZE);
        return b;
    }

    HBox node() {
        return box;
    }
}

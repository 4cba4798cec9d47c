package org.callibry.softphone.ui;

import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.callibry.shared.i18n.Messages;

/**
 * The main window's call panel on the left: the line to call from (with several accounts), the
 * number field and keypad, the call controls (dial, answer, hang up, hold, mute, transfer, consult),
 * the call's status and the waiting calls.
 */
final class CallPanel {
    private final VBox panel;

    CallPanel(MainViewModel vm, Messages text) {
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
        Button dial = MainView.button(text, "dial", "call.dial", vm::dial);
        Button answer = MainView.button(text, "answer", "call.answer", vm::answer);
        Button hangup = MainView.button(text, "hangup", "call.hangup", vm::hangup);
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
        Button transfer = MainView.button(text, "transfer", "call.transfer", () -> vm.transfer(transferTo.getText()));
        Button consult = MainView.button(text, "consult", "call.consult", () -> vm.consult(transferTo.getText()));
        Button complete = MainView.button(text, "completeTransfer", "call.completeTransfer", vm::completeTransfer);
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
        ChoiceBox<String> from = new ChoiceBox<>(vm.accounts);
        from.setId("fromAccount");
        from.valueProperty().bindBidirectional(vm.outgoingAccount);
        HBox fromRow = new HBox(6, new Label(text.get("call.from")), from);
        fromRow.setAlignment(Pos.CENTER_LEFT);
        fromRow.visibleProperty().bind(Bindings.size(vm.accounts).greaterThan(1));
        fromRow.managedProperty().bind(fromRow.visibleProperty());
        panel = new VBox(8, fromRow, number, keypad, new HBox(4, dial, answer, hangup), new HBox(4, hold, mute),
                new HBox(4, transferTo, transfer), new HBox(4, consult, complete), callStatus, waiting);
        panel.setPadding(new Insets(8));
        panel.setPrefWidth(320);
        panel.setMinWidth(300);
        panel.getStyleClass().add("call-panel");
    }

    VBox node() {
        return panel;
    }
}

package org.callibry.softphone.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.callibry.softphone.app.Themes;
import org.callibry.softphone.i18n.SoftphoneText;
import org.callibry.softphone.phone.Phone;
import org.callibry.softphone.settings.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The real window, headless (Monocle): clicking the keypad and Call dials, the registration label
 * follows the phone, an incoming call enables Answer, themes and Russian apply; the operator status
 * offers three choices, asks for a pause reason (refused at the field when blank) and follows the
 * server's pushes, with the wrap-up counting down.
 */
@ExtendWith(ApplicationExtension.class)
class MainViewTest {
    private final FakePhone phone = new FakePhone();
    private MainViewModel vm;
    private Scene scene;

    @Start
    void start(Stage stage) {
        vm = new MainViewModel(phone, SoftphoneText.in(Locale.ENGLISH), Settings.defaults().withUser("1001"));
        scene = new Scene(new MainView(vm, SoftphoneText.in(Locale.ENGLISH), false).root(), 900, 600);
        Themes.apply(scene, "light");
        stage.setScene(scene);
        stage.show();
    }

    @Test
    void keypadAndCallButtonDial(FxRobot robot) {
        robot.clickOn("#key1").clickOn("#key0").clickOn("#key0").clickOn("#key3").clickOn("#dial");
        assertThat(robot.lookup("#number").queryAs(TextField.class).getText()).isEqualTo("1003");
        assertThat(phone.actions).containsExactly("dial 1003");
    }

    @Test
    void registrationAndIncomingCallShowInTheWindow(FxRobot robot) {
        phone.registration(Phone.Registration.REGISTERED, null);
        phone.call(new Phone.CallInfo("c1", "1002", "Bob", true, Phone.CallState.RINGING, null));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#registration").queryAs(Label.class).getText()).isEqualTo("Registered");
        assertThat(robot.lookup("#answer").queryAs(Button.class).isDisabled()).isFalse();
        robot.clickOn("#answer");
        assertThat(phone.actions).contains("answer c1");
        assertThat(robot.lookup("#callStatus").queryAs(Label.class).getText()).isEqualTo("Incoming call from 1002");
    }

    @Test
    void functionKeysAnswerHoldMuteAndHangUp(FxRobot robot) {
        phone.call(new Phone.CallInfo("c1", "1002", "Bob", true, Phone.CallState.RINGING, null));
        WaitForAsyncUtils.waitForFxEvents();
        robot.type(javafx.scene.input.KeyCode.F2);
        phone.call(new Phone.CallInfo("c1", "1002", "Bob", true, Phone.CallState.ACTIVE, null));
        WaitForAsyncUtils.waitForFxEvents();
        robot.type(javafx.scene.input.KeyCode.F4).type(javafx.scene.input.KeyCode.F5).type(javafx.scene.input.KeyCode.F3);
        assertThat(phone.actions).containsExactly("answer c1", "hold true", "mute true", "hangup");
    }

    private static boolean selected(FxRobot robot, String id) {
        return robot.lookup(id).queryAs(javafx.scene.control.ToggleButton.class).isSelected();
    }

    private static boolean visible(FxRobot robot, String id) {
        javafx.scene.Node n = robot.lookup(id).query();
        return n.isVisible() && n.isManaged();
    }

    @Test
    void theStatusControlOffersThreeChoicesAndPausedAsksForTheReason(FxRobot robot) {
        java.util.List<String> sent = new java.util.ArrayList<>();
        robot.interact(() -> vm.status().onChange((status, reason) -> sent.add(status + " " + reason)));
        assertThat(java.util.List.of("#statusFree", "#statusPaused", "#statusUnavailable"))
                .extracting(id -> robot.lookup(id).queryAs(javafx.scene.control.ToggleButton.class).getText())
                .containsExactly("Available", "Paused", "Logged out");
        assertThat(selected(robot, "#statusFree")).isTrue();
        assertThat(visible(robot, "#statusReason")).isFalse();

        robot.clickOn("#statusUnavailable");
        robot.clickOn("#statusUnavailable"); // a second click neither unselects nor sends again
        assertThat(selected(robot, "#statusUnavailable")).isTrue();
        assertThat(sent).containsExactly("UNAVAILABLE ");

        robot.clickOn("#statusPaused");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(selected(robot, "#statusPaused")).isTrue();
        assertThat(visible(robot, "#statusReason")).isTrue();
        assertThat(sent).as("nothing before the reason").hasSize(1);
        robot.clickOn("Lunch"); // from the list that opened
        assertThat(sent).containsExactly("UNAVAILABLE ", "PAUSED Lunch");

        // a reason of one's own, typed
        javafx.scene.control.ComboBox<?> reason = robot.lookup("#statusReason").queryAs(javafx.scene.control.ComboBox.class);
        robot.interact(() -> reason.getEditor().clear());
        robot.clickOn(reason.getEditor()).write("Doctor").type(javafx.scene.input.KeyCode.ENTER);
        assertThat(sent).containsExactly("UNAVAILABLE ", "PAUSED Lunch", "PAUSED Doctor");
    }

    @Test
    void aPauseWithoutAReasonIsRefusedAtTheField(FxRobot robot) {
        java.util.List<String> sent = new java.util.ArrayList<>();
        robot.interact(() -> vm.status().onChange((status, reason) -> sent.add(status + " " + reason)));
        robot.clickOn("#statusPaused");
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.control.ComboBox<?> reason = robot.lookup("#statusReason").queryAs(javafx.scene.control.ComboBox.class);
        robot.interact(reason::hide);
        robot.clickOn(reason.getEditor()).type(javafx.scene.input.KeyCode.ENTER);
        assertThat(visible(robot, "#statusError")).isTrue();
        assertThat(robot.lookup("#statusError").queryAs(Label.class).getText()).isEqualTo("Choose or type a reason");
        assertThat(reason.getPseudoClassStates()).extracting(Object::toString).contains("error");
        assertThat(sent).isEmpty();

        robot.type(javafx.scene.input.KeyCode.ESCAPE); // given up: the status stays
        assertThat(selected(robot, "#statusFree")).isTrue();
        assertThat(visible(robot, "#statusReason")).isFalse();
        assertThat(visible(robot, "#statusError")).isFalse();
    }

    @Test
    void leavingTheReasonFieldEmptyGivesUpThePause(FxRobot robot) {
        java.util.List<String> sent = new java.util.ArrayList<>();
        robot.interact(() -> vm.status().onChange((status, reason) -> sent.add(status + " " + reason)));
        robot.clickOn("#statusPaused");
        WaitForAsyncUtils.waitForFxEvents();
        robot.interact(robot.lookup("#statusReason").queryAs(javafx.scene.control.ComboBox.class)::hide);
        robot.clickOn("#number");
        assertThat(selected(robot, "#statusFree")).isTrue();
        assertThat(visible(robot, "#statusReason")).isFalse();
        assertThat(sent).isEmpty();
    }

    @Test
    void aStatusPushedByTheServerShowsAtOnceAndAWrapUpCountsDown(FxRobot robot) throws Exception {
        org.callibry.softphone.server.OwnStatus own = new org.callibry.softphone.server.OwnStatus("1001");
        java.time.Instant now = java.time.Instant.now();
        // agent.statusChanged as the server pushes it: auto-paused after missed offers
        own.of(push("PAUSED", "auto-paused after 3 missed offers", "PAUSED", now, null)).ifPresent(st -> robot.interact(() -> vm.status().show(st)));
        assertThat(selected(robot, "#statusPaused")).isTrue();
        assertThat(robot.lookup("#statusReason").queryAs(javafx.scene.control.ComboBox.class).getEditor().getText())
                .isEqualTo("auto-paused after 3 missed offers");
        assertThat(robot.lookup("#liveState").queryAs(Label.class).getText()).isEqualTo("Paused — auto-paused after 3 missed offers");

        // a supervisor set it free, a queue call was taken and ended: wrap-up for 5 s
        own.of(push("FREE", "", "WRAP_UP", now.plusMillis(1), now.plusSeconds(5))).ifPresent(st -> robot.interact(() -> vm.status().show(st)));
        assertThat(selected(robot, "#statusFree")).isTrue();
        assertThat(visible(robot, "#statusReason")).isFalse();
        String first = robot.lookup("#liveState").queryAs(Label.class).getText();
        assertThat(first).matches("Wrap-up 0:0[45]");
        Thread.sleep(2100);
        WaitForAsyncUtils.waitForFxEvents();
        String later = robot.lookup("#liveState").queryAs(Label.class).getText();
        assertThat(later).matches("Wrap-up 0:0[0-3]").isLessThan(first);
    }

    private static org.callibry.shared.api.dto.Notification push(String status, String reason, String state, java.time.Instant at,
                                                                 java.time.Instant wrapUpEndsAt) {
        return new org.callibry.shared.api.dto.Notification("agent.statusChanged", tools.jackson.databind.json.JsonMapper.builder().build()
                .readTree("""
                        {"accountId":11,"tenantId":1,"number":"1001","status":"%s","reason":"%s","changedAt":"%s",
                         "state":"%s","stateSince":"%s","callId":null,"queueId":3,"wrapUpEndsAt":%s}
                        """.formatted(status, reason, at, state, at, wrapUpEndsAt == null ? "null" : "\"" + wrapUpEndsAt + "\"")));
    }

    @Test
    void attendedTransferConsultsThenCompletes(FxRobot robot) {
        phone.call(new Phone.CallInfo("c1", "1002", "Bob", false, Phone.CallState.ACTIVE, null));
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn("#transferTo").write("1003").clickOn("#consult");
        phone.call(new Phone.CallInfo("c1", "1002", "Bob", false, Phone.CallState.HELD, null));
        phone.call(new Phone.CallInfo("c2", "1003", "Carol", false, Phone.CallState.ACTIVE, null));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#waiting").queryAs(Label.class).getText()).isEqualTo("On hold with 1002");
        robot.clickOn("#completeTransfer");
        assertThat(phone.actions).containsExactly("consult 1003", "complete transfer");
    }

    @Test
    void darkThemeSwitchesAtRuntime(FxRobot robot) {
        robot.interact(() -> Themes.apply(scene, "dark"));
        assertThat(scene.getStylesheets()).singleElement().asString().endsWith("dark.css");
    }

    @Test
    void chatTabCountsUnreadAndSendsInTheConversationOpened(FxRobot robot) {
        phone.message("1002", "Bob", "hello");
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.control.TabPane tabs = robot.lookup(".tab-pane").queryAs(javafx.scene.control.TabPane.class);
        javafx.scene.control.Tab chat = tabs.getTabs().get(2);
        assertThat(chat.getText()).isEqualTo("Messages (1)");

        robot.clickOn("#chatTab");
        assertThat(chat.getText()).isEqualTo("Messages");
        assertThat(robot.lookup("#chatPeer").queryAs(Label.class).getText()).isEqualTo("Bob (1002)");
        robot.clickOn("#chatTo").write("1003").type(javafx.scene.input.KeyCode.ENTER);
        assertThat(robot.lookup("#chatPeer").queryAs(Label.class).getText()).isEqualTo("1003");
        robot.clickOn("#chatText").write("hi Carol").type(javafx.scene.input.KeyCode.ENTER);
        assertThat(phone.actions).containsExactly("message 1003 hi Carol");
        robot.interact(() -> phone.messages.getFirst().completeExceptionally(new IllegalStateException("404 Not Found")));
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.control.ListView<?> messages = robot.lookup("#chat").queryAs(javafx.scene.control.ListView.class);
        assertThat(messages.getItems()).hasSize(1);
        assertThat(robot.lookup("#chat .list-cell").queryAllAs(javafx.scene.control.ListCell.class))
                .anySatisfy(c -> assertThat(c.getText()).contains("→ hi Carol").endsWith("not delivered: 404 Not Found"));
        assertThat(robot.lookup("#conversations").queryAs(javafx.scene.control.ListView.class).getItems()).hasSize(2);
    }

    @Test
    void theMessageButtonOpensAConversationWithTheSelectedContact(FxRobot robot) {
        robot.interact(() -> vm.setContacts(java.util.List.of(
                new org.callibry.softphone.contacts.PersonalContacts.Contact("Carol", "1003", true))));
        robot.clickOn("Carol  1003").clickOn("#messageContact");
        assertThat(robot.lookup(".tab-pane").queryAs(javafx.scene.control.TabPane.class).getSelectionModel().getSelectedIndex())
                .isEqualTo(2);
        assertThat(robot.lookup("#chatPeer").queryAs(Label.class).getText()).isEqualTo("Carol (1003)");
        robot.clickOn("#chatText").write("call me").clickOn("#chatSend");
        assertThat(phone.actions).containsExactly("message 1003 call me");
    }
}

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
 * follows the phone, an incoming call enables Answer, themes and Russian apply.
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

    @Test
    void theStatusButtonSwitchesBetweenFreeAndUnavailable(FxRobot robot) {
        java.util.List<String> sent = new java.util.ArrayList<>();
        robot.interact(() -> vm.onStatusChange((free, reason) -> sent.add(free + " " + reason)));
        robot.clickOn("#status");
        assertThat(robot.lookup("#status").queryAs(javafx.scene.control.ToggleButton.class).getText()).isEqualTo("Unavailable");
        robot.clickOn("#status");
        assertThat(sent).containsExactly("false ", "true ");
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

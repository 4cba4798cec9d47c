package org.callibry.softphone.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.callibry.softphone.i18n.SoftphoneText;
import org.callibry.softphone.phone.Phone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The incoming-call notification, as a real window (headless Monocle). */
@ExtendWith(ApplicationExtension.class)
class IncomingCallNotifierTest {
    private final FakePhone phone = new FakePhone();
    private final AtomicBoolean focused = new AtomicBoolean();
    private final AtomicBoolean autoAnswer = new AtomicBoolean();
    private IncomingCallNotifier notifier;

    @Start
    void start(Stage stage) {
        notifier = new IncomingCallNotifier(phone, () -> SoftphoneText.in(Locale.ENGLISH), focused::get, autoAnswer::get, s -> { });
    }

    private static Phone.CallInfo call(String id, Phone.CallState state) {
        return new Phone.CallInfo(id, "1002", "Bob", true, state, null);
    }

    private void event(Phone.CallInfo c) {
        phone.call(c);
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void aRingingCallWhileAnotherApplicationHasTheFocusShowsTheCallerAndAnswers(FxRobot robot) {
        event(call("c1", Phone.CallState.RINGING));
        assertThat(notifier.showing()).isTrue();
        assertThat(robot.lookup("#noticeCaller").queryLabeled().getText()).isEqualTo("Bob (1002)");
        Window w = robot.lookup("#noticeAnswer").query().getScene().getWindow();
        assertThat(((Stage) w).isAlwaysOnTop()).isTrue();

        robot.clickOn("#noticeAnswer");
        assertThat(phone.actions).containsExactly("answer c1");
        event(call("c1", Phone.CallState.ACTIVE));
        assertThat(notifier.showing()).isFalse();
    }

    @Test
    void rejectRejectsAndTheWindowClosesWhenTheCallStopsRinging(FxRobot robot) {
        event(call("c1", Phone.CallState.RINGING));
        robot.clickOn("#noticeReject");
        assertThat(phone.actions).containsExactly("reject c1");
        event(call("c1", Phone.CallState.ENDED));
        assertThat(notifier.showing()).isFalse();

        event(call("c2", Phone.CallState.RINGING));
        assertThat(notifier.showing()).isTrue();
        event(call("c3", Phone.CallState.ENDED)); // another call's end leaves it
        assertThat(notifier.showing()).isTrue();
        event(call("c2", Phone.CallState.ENDED)); // the caller gave up
        assertThat(notifier.showing()).isFalse();
    }

    @Test
    void nothingShowsWhenTheMainWindowHasTheFocusOrThePhoneAnswersItself() {
        focused.set(true);
        event(call("c1", Phone.CallState.RINGING));
        assertThat(notifier.showing()).isFalse();
        focused.set(false);
        autoAnswer.set(true);
        event(call("c2", Phone.CallState.RINGING));
        assertThat(notifier.showing()).isFalse();
        assertThat(phone.actions).isEmpty();
        event(call("c2", Phone.CallState.ACTIVE)); // answered by itself
        event(call("c3", Phone.CallState.RINGING)); // a waiting call is not answered by itself: it is shown
        assertThat(notifier.showing()).isTrue();
    }

    @Test
    void callsRingingOnTwoLinesAreShownOneAfterTheOther(FxRobot robot) {
        event(new Phone.CallInfo("a", "1002", "Bob", true, Phone.CallState.RINGING, null, "1001@pbx"));
        event(new Phone.CallInfo("b", "1003", "Carol", true, Phone.CallState.RINGING, null, "2001@pbx"));
        assertThat(robot.lookup("#noticeCaller").queryLabeled().getText()).isEqualTo("Bob (1002)");
        assertThat(robot.lookup("#noticeLine").queryLabeled().getText()).isEqualTo("1001@pbx");
        robot.clickOn("#noticeAnswer");
        event(new Phone.CallInfo("a", "1002", "Bob", true, Phone.CallState.ACTIVE, null, "1001@pbx"));
        assertThat(notifier.showing()).as("the second call still rings").isTrue();
        assertThat(robot.lookup("#noticeCaller").queryLabeled().getText()).isEqualTo("Carol (1003)");
        robot.clickOn("#noticeAnswer");
        assertThat(phone.actions).containsExactly("answer a", "answer b");
    }
}

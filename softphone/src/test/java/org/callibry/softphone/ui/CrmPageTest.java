package org.callibry.softphone.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import javafx.scene.Scene;
import javafx.scene.web.WebView;
import javafx.stage.Stage;
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
 * The embedded CRM page (a real WebView, headless): it is loaded for a ringing call with the call's
 * variables, receives call events through {@code window.callibryEvent}, and dials through the bridge.
 */
@ExtendWith(ApplicationExtension.class)
class CrmPageTest {
    private final FakePhone phone = new FakePhone();
    private MainView view;

    @Start
    void start(Stage stage) throws Exception {
        Path page = Files.createTempFile("crm", ".html");
        Files.writeString(page, """
                <html><body><script>
                  var events = [];
                  window.callibryEvent = function (e) { events.push(e.state + ':' + e.peer); document.title = events.join(','); };
                </script></body></html>
                """);
        Settings s = Settings.defaults().withUser("1001").withCrmUrlTemplate(page.toUri() + "?caller={caller}");
        MainViewModel vm = new MainViewModel(phone, SoftphoneText.in(Locale.ENGLISH), s);
        view = new MainView(vm, SoftphoneText.in(Locale.ENGLISH), true);
        stage.setScene(new Scene(view.root(), 900, 500));
        stage.show();
    }

    private WebView browser(FxRobot robot) {
        return robot.lookup("#crm").queryAs(WebView.class);
    }

    private String eval(FxRobot robot, String script) {
        AtomicReference<Object> r = new AtomicReference<>();
        robot.interact(() -> r.set(browser(robot).getEngine().executeScript(script)));
        return String.valueOf(r.get());
    }

    @Test
    void thePageLoadsForTheCallGetsItsEventsAndCanDial(FxRobot robot) throws Exception {
        phone.call(new Phone.CallInfo("c1", "+74951234567", "Anna", true, Phone.CallState.RINGING, null));
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline && !eval(robot, "location.href").contains("caller=%2B74951234567")) {
            Thread.sleep(100);
        }
        assertThat(eval(robot, "location.href")).as("loaded with the URL-encoded caller").contains("caller=%2B74951234567");
        while (System.currentTimeMillis() < deadline && eval(robot, "typeof window.callibry").equals("undefined")) {
            Thread.sleep(100);
        }
        phone.call(new Phone.CallInfo("c1", "+74951234567", "Anna", true, Phone.CallState.ACTIVE, null));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(eval(robot, "document.title")).isEqualTo("ACTIVE:+74951234567");
        phone.call(new Phone.CallInfo("c1", "+74951234567", "Anna", true, Phone.CallState.ENDED, null));
        WaitForAsyncUtils.waitForFxEvents();
        eval(robot, "window.callibry.dial('1002')");
        assertThat(phone.actions).contains("dial 1002");
    }
}

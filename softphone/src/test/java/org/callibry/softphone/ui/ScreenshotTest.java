package org.callibry.softphone.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import javafx.scene.Scene;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.callibry.shared.api.dto.Agents;
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
 * Renders the main window (registered, in a call) in both themes and languages, and its status area
 * (a wrap-up counting down, a pause with its reason), to {@code target/screenshots/*.png} — the
 * pictures of {@code docs/softphone.md} come from here.
 */
@ExtendWith(ApplicationExtension.class)
class ScreenshotTest {
    private final FakePhone phone = new FakePhone();
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
    }

    @Test
    void mainWindowInBothThemesAndLanguages(FxRobot robot) throws Exception {
        shoot(robot, "light", Locale.ENGLISH, "softphone-light-en.png", false, BUSY, null);
        shoot(robot, "dark", Locale.forLanguageTag("ru"), "softphone-dark-ru.png", false, BUSY, null);
    }

    @Test
    void chatWithAContact(FxRobot robot) throws Exception {
        shoot(robot, "light", Locale.ENGLISH, "softphone-chat-en.png", true, BUSY, null);
    }

    /** The top bar alone: a wrap-up counting down, and a pause with its reason, in both themes and languages. */
    @Test
    void statusArea(FxRobot robot) throws Exception {
        Instant now = Instant.now();
        Agents.AgentStatus wrapUp = new Agents.AgentStatus(11, 1, "1001", Agents.Status.FREE, "", now, Agents.State.WRAP_UP, now,
                null, 3L, now.plusSeconds(65));
        shoot(robot, "light", Locale.ENGLISH, "softphone-status-wrapup-en.png", false, wrapUp, ".top-bar");
        shoot(robot, "dark", Locale.forLanguageTag("ru"), "softphone-status-wrapup-ru.png", false, wrapUp, ".top-bar");
        Agents.AgentStatus lunch = new Agents.AgentStatus(11, 1, "1001", Agents.Status.PAUSED, "Lunch", now, Agents.State.PAUSED, now,
                null, null, null);
        shoot(robot, "light", Locale.ENGLISH, "softphone-status-paused-en.png", false, lunch, ".top-bar");
        Agents.AgentStatus lunchRu = new Agents.AgentStatus(11, 1, "1001", Agents.Status.PAUSED, "Обед", now, Agents.State.PAUSED, now,
                null, null, null);
        shoot(robot, "light", Locale.forLanguageTag("ru"), "softphone-status-paused-ru.png", false, lunchRu, ".top-bar");
        // Paused chosen, Enter without a reason: the error beside the field
        Agents.AgentStatus ready = new Agents.AgentStatus(11, 1, "1001", Agents.Status.FREE, "", now, Agents.State.FREE, now,
                null, null, null);
        before = vm -> {
            vm.status().choose(Agents.Status.PAUSED);
            vm.status().pause("");
        };
        shoot(robot, "light", Locale.ENGLISH, "softphone-status-error-en.png", false, ready, ".top-bar");
        before = vm -> { };
    }

    /** Done to the window's model before the picture, after the status is shown. */
    private java.util.function.Consumer<MainViewModel> before = vm -> { };

    private static final Agents.AgentStatus BUSY = new Agents.AgentStatus(11, 1, "1001", Agents.Status.FREE, "", Instant.now(),
            Agents.State.BUSY, Instant.now(), "c1", null, null);

    /** The window (or the node {@code part} names) with the operator status {@code status} as the server pushed it. */
    private void shoot(FxRobot robot, String theme, Locale locale, String name, boolean chat, Agents.AgentStatus status, String part)
            throws Exception {
        AtomicReference<Scene> scene = new AtomicReference<>();
        AtomicReference<MainViewModel> model = new AtomicReference<>();
        robot.interact(() -> {
            MainViewModel vm = new MainViewModel(phone, SoftphoneText.in(locale), Settings.defaults().withUser("1001"));
            model.set(vm);
            Scene s = new Scene(new MainView(vm, SoftphoneText.in(locale), false).root(), 760, 460);
            Themes.apply(s, theme);
            stage.setScene(s);
            stage.show();
            vm.numberProperty().set("1002");
            vm.status().show(status);
            before.accept(vm);
            scene.set(s);
        });
        phone.registration(Phone.Registration.REGISTERED, null);
        phone.call(new Phone.CallInfo("c1", "1002", "Bob", false, Phone.CallState.ACTIVE, null));
        WaitForAsyncUtils.waitForFxEvents();
        if (chat) {
            phone.message("1003", "Carol", "Can you take the Smith account call?");
            phone.message("1002", "Bob", "The customer asks for a callback at 15:00");
            WaitForAsyncUtils.waitForFxEvents();
            robot.interact(() -> {
                robot.lookup(".tab-pane").queryAs(javafx.scene.control.TabPane.class).getSelectionModel().select(2);
                model.get().chat().open("1002");
                model.get().chat().send("Noted, I will call at 15:00");
            });
            robot.interact(() -> phone.messages.getLast().complete(null));
            WaitForAsyncUtils.waitForFxEvents();
        }
        AtomicReference<WritableImage> image = new AtomicReference<>();
        robot.interact(() -> image.set(part == null ? scene.get().snapshot(null)
                : scene.get().getRoot().lookup(part).snapshot(null, null)));
        WritableImage img = image.get();
        int w = (int) img.getWidth();
        int h = (int) img.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        PixelReader px = img.getPixelReader();
        int distinct = 0;
        int first = px.getArgb(0, 0);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int argb = px.getArgb(x, y);
                out.setRGB(x, y, argb);
                if (argb != first) {
                    distinct++;
                }
            }
        }
        assertThat(distinct).as("the window drew something").isGreaterThan(w * h / 50);
        Path dir = Path.of("target/screenshots");
        Files.createDirectories(dir);
        ImageIO.write(out, "png", dir.resolve(name).toFile());
        assertThat(dir.resolve(name)).isNotEmptyFile();
    }
}

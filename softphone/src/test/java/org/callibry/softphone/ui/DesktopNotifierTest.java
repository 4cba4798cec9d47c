package org.callibry.softphone.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.callibry.softphone.i18n.SoftphoneText;
import org.callibry.softphone.phone.Phone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Desktop notifications, through a stand-in {@code notify-send} that writes down its arguments. */
class DesktopNotifierTest {
    @TempDir
    Path dir;

    private Path fakeNotifySend() throws Exception {
        Path script = dir.resolve("notify-send");
        Files.writeString(script, "#!/bin/sh\nfor a in \"$@\"; do printf '%s|' \"$a\" >> \"" + dir.resolve("sent.txt") + "\"; done\necho >> \""
                + dir.resolve("sent.txt") + "\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    private List<String> sent(int expected) throws Exception {
        Path file = dir.resolve("sent.txt");
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline && (!Files.exists(file) || Files.readAllLines(file).size() < expected)) {
            Thread.sleep(50);
        }
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }

    @Test
    void missedCallsAndMessagesGoToTheDesktopWhileTheOperatorIsElsewhere() throws Exception {
        AtomicBoolean focused = new AtomicBoolean(true);
        DesktopNotifier n = new DesktopNotifier(Optional.of(fakeNotifySend()), () -> SoftphoneText.in(Locale.forLanguageTag("ru")),
                focused::get);
        n.message("1002", "Bob", "seen in the window"); // the window has the focus: nothing
        focused.set(false);
        n.call(new Phone.CallInfo("c1", "1002", "Bob", true, Phone.CallState.ENDED, "caller hung up", "",
                new Phone.Ending("MISSED", 0, "caller hung up")));
        assertThat(sent(1)).containsExactly("--app-name=Callibry Phone|--icon=call-missed|--|Пропущенный вызов|Bob (1002)|");
        n.call(new Phone.CallInfo("c2", "1003", "", false, Phone.CallState.ENDED, "busy", "", new Phone.Ending("BUSY", 486, "busy")));
        n.message("1003", "", "$(rm -rf ~) is only text");
        assertThat(sent(2)).as("only the missed call and the message; the text passed as it is")
                .containsExactly("--app-name=Callibry Phone|--icon=call-missed|--|Пропущенный вызов|Bob (1002)|",
                        "--app-name=Callibry Phone|--icon=mail-message-new|--|Сообщение от 1003|$(rm -rf ~) is only text|");
    }

    @Test
    void withoutNotifySendNothingIsTried() {
        DesktopNotifier n = new DesktopNotifier(Optional.empty(), () -> SoftphoneText.in(Locale.ENGLISH), () -> false);
        n.message("1002", "Bob", "hello");
        assertThat(dir).isEmptyDirectory();
    }
}

package org.callibry.softphone.ui;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.callibry.shared.i18n.Messages;
import org.callibry.softphone.phone.Phone;

/**
 * What happened while the operator was in another application, in the desktop's notification
 * centre (freedesktop notifications through {@code notify-send}, package libnotify-bin): a missed
 * call, a message. They stay listed there after the fact, unlike the ringing window. Nothing is sent
 * while the main window has the focus; without {@code notify-send} nothing is sent at all (said once
 * in the log).
 */
public final class DesktopNotifier implements Phone.Listener {
    private static final System.Logger LOG = System.getLogger(DesktopNotifier.class.getName());
    private static final int MAX_TEXT = 120;

    private final Path command;
    private final Supplier<Messages> text;
    private final BooleanSupplier mainFocused;

    /**
     * @param command     the {@code notify-send} to run, or empty when there is none
     * @param mainFocused whether the main window has the focus
     */
    public DesktopNotifier(Optional<Path> command, Supplier<Messages> text, BooleanSupplier mainFocused) {
        this.command = command.orElse(null);
        this.text = text;
        this.mainFocused = mainFocused;
        if (this.command == null) {
            LOG.log(System.Logger.Level.INFO, "no notify-send: missed calls and messages are not shown in the desktop's notifications");
        }
    }

    /** {@code notify-send} from the PATH, if there is one. */
    public static Optional<Path> findCommand() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, "notify-send");
            if (!dir.isBlank() && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    @Override
    public void call(Phone.CallInfo call) {
        if (call.ending() != null && "MISSED".equals(call.ending().kind()) && call.incoming()) {
            Messages t = text.get();
            send(t.get("desktop.missed"), who(call.peer(), call.peerName()), "call-missed");
        }
    }

    @Override
    public void message(String from, String fromName, String body) {
        Messages t = text.get();
        String shown = body.length() > MAX_TEXT ? body.substring(0, MAX_TEXT) + "…" : body;
        send(t.get("desktop.message") + " " + who(from, fromName), shown, "mail-message-new");
    }

    private static String who(String number, String name) {
        return name == null || name.isBlank() ? number : name + " (" + number + ")";
    }

    private void send(String title, String body, String icon) {
        if (command == null || mainFocused.getAsBoolean()) {
            return;
        }
        Thread.ofVirtual().start(() -> {
            try {
                // arguments, not a shell line: nothing in a caller's name or a message is interpreted
                Process p = new ProcessBuilder(command.toString(), "--app-name=Callibry Phone", "--icon=" + icon, "--", title, body)
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (java.io.IOException e) {
                LOG.log(System.Logger.Level.WARNING, "desktop notification not shown: {0}", e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }
}

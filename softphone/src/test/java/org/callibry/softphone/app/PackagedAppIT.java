package org.callibry.softphone.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.callibry.shared.api.dto.Accounts;
import org.callibry.softphone.sip.Call;
import org.callibry.softphone.sip.CallState;
import org.callibry.softphone.sip.SipTestServer;
import org.callibry.softphone.sip.Transport;
import org.callibry.softphone.sip.UserAgent;
import org.callibry.softphone.sip.UserAgentListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged application as an operator starts it: {@code java -jar target/softphone.jar} with the
 * provisioning options, on a virtual X display (Xvfb) of a machine with no sound card. It must show
 * its window, register, load the company directory, answer a call by itself ({@code --auto-answer})
 * with silence for a microphone, and put the call in its history. The start-up figures (window and
 * registration, from JVM start) are printed, not asserted.
 */
class PackagedAppIT {
    private static final Pattern AFTER_START = Pattern.compile("\\((\\d+) ms after start\\)");

    @TempDir
    Path dir;

    @Test
    void theJarStartsOnADisplayRegistersAndAnswersACall() throws Exception {
        Path jar = Path.of("target", "softphone.jar").toAbsolutePath();
        assertThat(jar).as("built by the package phase").isRegularFile();
        try (SipTestServer server = SipTestServer.start(dir.resolve("server"));
             Xvfb display = Xvfb.start()) {
            Accounts.Account operator = server.account("1870", "Operator");
            server.operator(operator);
            server.account("1871", "Caller");
            Path config = dir.resolve("config");
            ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-jar", jar.toString(),
                    "--server", "127.0.0.1:" + server.sipPort, "--user", "1870", "--password", SipTestServer.PASSWORD,
                    "--auto-answer", "--config-dir", config.toString(), "--lang", "en",
                    "--api", "http://127.0.0.1:" + server.httpPort + "/").redirectErrorStream(true);
            pb.environment().put("DISPLAY", display.display);
            Process app = pb.start();
            List<String> log = new CopyOnWriteArrayList<>();
            Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        log.add(line);
                    }
                } catch (java.io.IOException ignored) {
                    // the process ended
                }
            });
            UserAgent caller = null;
            try {
                await("registered and the window shown", log, app, () -> has(log, "registration REGISTERED 1870@")
                        && has(log, "window shown"));
                assertThat(server.online(operator.id())).as("the server has the registration").isTrue();
                assertThat(display.windows()).as("a window on the display").contains("\"Callibry Phone\"");
                await("company directory", log, app, () -> has(log, "company directory: "));
                assertThat(line(log, "company directory: ")).doesNotContain(": 0 contacts");

                caller = new UserAgent(server.settings("1871", Transport.UDP), new UserAgentListener() { });
                caller.start();
                Call call = caller.call("1870");
                await("answered by itself", log, app, () -> call.state() == CallState.ACTIVE);
                Thread.sleep(500);
                call.hangUp();
                await("the call ended in the app", log, app, () -> has(log, "ENDED"));
                await("in the history", log, app, () -> Files.exists(config.resolve("history.tsv")));
                assertThat(Files.readString(config.resolve("history.tsv"))).contains("\tRECEIVED\t1871\t");
                assertThat(app.isAlive()).as("still running:\n" + String.join("\n", log)).isTrue();

                System.out.println("Packaged softphone on Xvfb: registered " + ms(line(log, "registration REGISTERED"))
                        + " ms and window shown " + ms(line(log, "window shown")) + " ms after JVM start");
            } finally {
                if (caller != null) {
                    caller.close();
                }
                app.destroy();
                if (!app.waitFor(20, TimeUnit.SECONDS)) {
                    app.destroyForcibly();
                }
            }
            assertThat(log).as("no stack trace in the application's output").noneMatch(l -> l.startsWith("\tat ")
                    || l.contains("Exception in thread"));
        }
    }

    private static boolean has(List<String> log, String text) {
        return log.stream().anyMatch(l -> l.contains(text));
    }

    private static String line(List<String> log, String text) {
        return log.stream().filter(l -> l.contains(text)).findFirst().orElseThrow();
    }

    private static long ms(String line) {
        Matcher m = AFTER_START.matcher(line);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static void await(String what, List<String> log, Process app, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline || !app.isAlive()) {
                throw new AssertionError("not " + what + (app.isAlive() ? "" : " (the application exited)") + "; its output:\n"
                        + String.join("\n", log));
            }
            Thread.sleep(100);
        }
    }
}

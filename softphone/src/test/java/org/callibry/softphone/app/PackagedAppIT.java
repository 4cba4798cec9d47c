package org.callibry.softphone.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.callibry.shared.api.dto.Accounts;
import org.callibry.shared.media.Goertzel;
import org.callibry.shared.media.WavReader;
import org.callibry.softphone.phone.Phone;
import org.callibry.softphone.phone.TestHandset;
import org.callibry.softphone.sip.SipTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged application as an operator starts it: {@code java -jar target/softphone.jar} with the
 * provisioning options, on a virtual X display (Xvfb). Without a sound card it must still show its
 * window, register, load the company directory, answer a call by itself ({@code --auto-answer}) and
 * keep it in its history; with a sound device (ALSA's default device on named pipes, see
 * {@link AlsaFifoDevice}) the caller must hear the operator's microphone and the operator's speaker
 * must play the caller. The start-up figures are printed, not asserted.
 */
class PackagedAppIT {
    private static final Pattern AFTER_START = Pattern.compile("\\((\\d+) ms after start\\)");

    @TempDir
    static Path dir;
    private static SipTestServer server;
    private static Xvfb display;

    @BeforeAll
    static void start() throws Exception {
        server = SipTestServer.start(dir.resolve("server"));
        display = Xvfb.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (display != null) {
            display.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** The application process with its output, line by line. */
    private record App(Process process, List<String> log) implements AutoCloseable {
        boolean has(String text) {
            return log.stream().anyMatch(l -> l.contains(text));
        }

        String line(String text) {
            return log.stream().filter(l -> l.contains(text)).findFirst().orElseThrow();
        }

        void await(String what, BooleanSupplier condition) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!condition.getAsBoolean()) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    throw new AssertionError("not " + what + (process.isAlive() ? "" : " (the application exited)")
                            + "; its output:\n" + String.join("\n", log));
                }
                Thread.sleep(100);
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static App launch(String user, Path config, Map<String, String> env) throws Exception {
        Path jar = Path.of("target", "softphone.jar").toAbsolutePath();
        assertThat(jar).as("built by the package phase").isRegularFile();
        ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-jar", jar.toString(),
                "--server", "127.0.0.1:" + server.sipPort, "--user", user, "--password", SipTestServer.PASSWORD,
                "--auto-answer", "--config-dir", config.toString(), "--lang", "en",
                "--api", "http://127.0.0.1:" + server.httpPort + "/").redirectErrorStream(true);
        pb.environment().put("DISPLAY", display.display);
        pb.environment().putAll(env);
        Process p = pb.start();
        List<String> log = new CopyOnWriteArrayList<>();
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    log.add(line);
                }
            } catch (java.io.IOException ignored) {
                // the process ended
            }
        });
        return new App(p, log);
    }

    private static long ms(String line) {
        Matcher m = AFTER_START.matcher(line);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    @Test
    void withoutASoundCardTheJarShowsItsWindowRegistersAndAnswersACall() throws Exception {
        Accounts.Account operator = server.account("1870", "Operator");
        server.operator(operator);
        server.agentStatus(operator, false, "training"); // left so yesterday: the phone starts from it
        server.account("1871", "Caller");
        Path config = dir.resolve("config-1870");
        TestHandset caller = TestHandset.registering(dir.resolve("caller-1871"), 1000, server, "1871");
        try (App app = launch("1870", config, Map.of())) {
            app.await("registered and the window shown", () -> app.has("registration REGISTERED 1870@") && app.has("window shown"));
            assertThat(server.online(operator.id())).as("the server has the registration").isTrue();
            assertThat(display.windows()).as("a window on the display").contains("\"Callibry Phone\"");
            app.await("company directory", () -> app.has("company directory: "));
            assertThat(app.line("company directory: ")).doesNotContain(": 0 contacts");
            app.await("the operator status read from the server", () -> app.has("operator status on the server: UNAVAILABLE"));

            app.await("caller registered", () -> caller.registrations().contains(Phone.Registration.REGISTERED));
            caller.phone().dial("1870");
            app.await("answered by itself", () -> caller.state() == Phone.CallState.ACTIVE);
            Thread.sleep(500);
            caller.phone().hangup();
            app.await("the call ended in the app", () -> app.has("ENDED"));
            app.await("in the history", () -> Files.exists(config.resolve("history.tsv")));
            assertThat(Files.readString(config.resolve("history.tsv"))).contains("\tRECEIVED\t1871\t");
            assertThat(app.has("No microphone")).as("no sound card: silence is sent").isTrue();
            assertThat(app.process().isAlive()).as("still running:\n" + String.join("\n", app.log())).isTrue();
            System.out.println("Packaged softphone on Xvfb: registered " + ms(app.line("registration REGISTERED"))
                    + " ms and window shown " + ms(app.line("window shown")) + " ms after JVM start");
            assertThat(app.log()).as("no stack trace in the application's output").noneMatch(l -> l.startsWith("\tat ")
                    || l.contains("Exception in thread"));
        } finally {
            caller.phone().close();
        }
    }

    @Test
    void throughTheSystemSoundDeviceEachSideHearsTheOther() throws Exception {
        server.account("1872", "Operator with a headset");
        server.account("1873", "Caller");
        TestHandset caller = TestHandset.registering(dir.resolve("caller-1873"), 1000, server, "1873");
        List<String> log = new ArrayList<>();
        try (AlsaFifoDevice headset = AlsaFifoDevice.create(dir.resolve("home-1872"), 700)) {
            try (App app = launch("1872", dir.resolve("config-1872"), Map.of("HOME", headset.home.toString()))) {
                app.await("registered", () -> app.has("registration REGISTERED 1872@")
                        && caller.registrations().contains(Phone.Registration.REGISTERED));
                caller.phone().dial("1872");
                app.await("answered by itself", () -> caller.state() == Phone.CallState.ACTIVE);
                Thread.sleep(3000);
                caller.phone().hangup();
                app.await("the call ended in the app", () -> app.has("ENDED"));
                log.addAll(app.log());
            } finally {
                caller.phone().close();
            }
            short[] played = headset.played();
            assertThat(played.length).as("the speaker played about 3 s:\n" + String.join("\n", log)).isGreaterThan(8000 * 2);
            assertThat(Goertzel.dominant(played, 8000, 700, 1000, 400, 425)).as("the operator hears the caller's 1000 Hz")
                    .isEqualTo(1000);
        }
        short[] heard = WavReader.read(caller.heard()).samples();
        assertThat(heard.length).as("the caller heard about 3 s").isGreaterThan(8000 * 2);
        assertThat(Goertzel.dominant(heard, 8000, 700, 1000)).as("the caller hears the operator's microphone, 700 Hz").isEqualTo(700);
        assertThat(log).as("the devices were there").noneMatch(l -> l.contains("No microphone") || l.contains("No speaker"));
    }
}

package org.callibry.softphone.phone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.callibry.softphone.sip.SipTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures start-to-registered of the phone core: three fresh JVMs each run {@link StartupProbe}
 * (a {@link SipPhone} registering with the packaged server). Not a timed assertion: the figures are
 * printed and written to {@code target/startup-time.txt}; only the registration is asserted.
 * The JavaFX window's start is not included.
 */
class StartupTimeIT {
    private static final int RUNS = 3;

    @TempDir
    Path dir;

    /** One run: milliseconds from JVM start to REGISTERED (measured inside) and from process launch (outside). */
    private record Run(long sinceJvmStart, long sinceLaunch) {
    }

    @Test
    void measuresStartToRegistered() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        String classpath = System.getProperty("java.class.path");
        try (SipTestServer server = SipTestServer.start(dir.resolve("server"))) {
            server.account("1805", "Startup");
            List<String> command = List.of(java, "-cp", classpath, StartupProbe.class.getName(),
                    "127.0.0.1:" + server.sipPort, "1805", SipTestServer.PASSWORD);
            List<Run> runs = new ArrayList<>();
            for (int i = 0; i < RUNS; i++) {
                long launched = System.nanoTime();
                Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
                String registered = null;
                StringBuilder output = new StringBuilder();
                long seen = 0;
                try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = out.readLine()) != null; ) {
                        output.append(line).append('\n');
                        if (registered == null && line.startsWith("REGISTERED ")) {
                            seen = System.nanoTime();
                            registered = line;
                        }
                    }
                }
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("probe exits").isTrue();
                assertThat(p.exitValue()).as("probe registered:\n" + output).isZero();
                assertThat(registered).as("probe output:\n" + output).isNotNull();
                runs.add(new Run(Long.parseLong(registered.substring("REGISTERED ".length()).strip()),
                        TimeUnit.NANOSECONDS.toMillis(seen - launched)));
            }
            String report = report(runs, java);
            System.out.println(report);
            Files.writeString(Path.of("target", "startup-time.txt"), report);
        }
    }

    private static String report(List<Run> runs, String java) {
        List<Long> inside = runs.stream().map(Run::sinceJvmStart).sorted().toList();
        List<Long> outside = runs.stream().map(Run::sinceLaunch).sorted().toList();
        StringBuilder b = new StringBuilder();
        b.append("Softphone core start-to-registered (SipPhone + UserAgent, UDP, packaged server on 127.0.0.1; no JavaFX window)\n");
        b.append("java: ").append(java).append(" (").append(System.getProperty("java.version")).append("), ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores\n");
        for (int i = 0; i < runs.size(); i++) {
            b.append("run ").append(i + 1).append(": ").append(runs.get(i).sinceJvmStart()).append(" ms from JVM start, ")
                    .append(runs.get(i).sinceLaunch()).append(" ms from process launch\n");
        }
        b.append("from JVM start: min ").append(inside.getFirst()).append(" ms, median ").append(inside.get(inside.size() / 2))
                .append(" ms\n");
        b.append("from process launch: min ").append(outside.getFirst()).append(" ms, median ")
                .append(outside.get(outside.size() / 2)).append(" ms\n");
        return b.toString();
    }
}

package org.callibry.server.testing;

import org.callibry.shared.testing.FreePorts;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs SIPp (Debian package {@code sip-tester}, installed by {@code scripts/test.sh}) with the
 * scenarios in {@code src/test/resources/sipp}. A missing sipp fails the test with that message.
 */
public final class Sipp {
    private Sipp() {
    }

    /** A finished run: SIPp's exit code (0 = every call passed) and what it printed. */
    public record Result(int exitCode, String output) {
        public boolean passed() {
            return exitCode == 0;
        }
    }

    /** A SIPp instance still running (a UAS waiting for calls). */
    public record Running(Process process, Path log) implements AutoCloseable {
        public Result await(Duration timeout) throws IOException, InterruptedException {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor();
                return new Result(-1, "timed out\n" + Files.readString(log));
            }
            return new Result(process.exitValue(), Files.readString(log));
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    public static Path scenario(String name) {
        try {
            return Path.of(Sipp.class.getResource("/sipp/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("no scenario " + name, e);
        }
    }

    /** An injection file (SEQUENTIAL) with one line per row, fields joined by ';'. */
    public static Path injection(Path dir, String name, List<List<String>> rows) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("SEQUENTIAL");
        rows.forEach(r -> lines.add(String.join(";", r)));
        return Files.write(dir.resolve(name), lines, StandardCharsets.US_ASCII);
    }

    /**
     * Starts {@code sipp <target> -sf <scenario> -p <localPort> ...args}, on 127.0.0.1, with no
     * keyboard and traces of failed messages in the log.
     */
    public static Running start(Path workDir, String target, String scenario, int localPort, String... args) throws IOException {
        if (!Files.isExecutable(Path.of("/usr/bin/sipp"))) {
            throw new AssertionError("sipp is not installed: run scripts/test.sh, which installs the Debian package sip-tester");
        }
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/sipp"));
        if (target != null) {
            cmd.add(target);
        }
        cmd.addAll(List.of("-sf", scenario(scenario).toString(), "-i", "127.0.0.1", "-p", Integer.toString(localPort),
                "-nostdin", "-cp", Integer.toString(FreePorts.udpAndTcp()), "-mp", Integer.toString(FreePorts.block(4)),
                "-recv_timeout", "8000", "-timeout", "30s", "-timeout_error"));
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile(workDir, "sipp-" + scenario.replace(".xml", ""), ".log");
        Process p = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new Running(p, log);
    }

    public static Result run(Path workDir, String target, String scenario, int localPort, String... args)
            throws IOException, InterruptedException {
        try (Running r = start(workDir, target, scenario, localPort, args)) {
            return r.await(Duration.ofSeconds(45));
        }
    }
}

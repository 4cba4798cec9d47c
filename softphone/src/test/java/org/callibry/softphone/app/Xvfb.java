package org.callibry.softphone.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A virtual X display (Xvfb, package {@code xvfb}) for starting the packaged application as a user
 * would: Xvfb picks a free display number and tells it ({@code -displayfd}). Missing Xvfb fails the
 * test with what to install.
 */
final class Xvfb implements AutoCloseable {
    private final Process process;
    final String display;

    private Xvfb(Process process, String display) {
        this.process = process;
        this.display = display;
    }

    static Xvfb start() throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("Xvfb", "-displayfd", "1", "-screen", "0", "1280x800x24", "-nolisten", "tcp")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new IllegalStateException("Xvfb is not installed (Debian package xvfb; scripts/test.sh installs it): " + e.getMessage(), e);
        }
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
        java.util.concurrent.CompletableFuture<String> line = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine(); // written once the display accepts clients
            } catch (IOException e) {
                return null;
            }
        });
        String number;
        try {
            number = line.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            number = null;
        }
        if (number == null || !number.strip().matches("\\d+")) {
            p.destroyForcibly();
            throw new IllegalStateException("Xvfb did not start (exit " + (p.waitFor(5, TimeUnit.SECONDS) ? p.exitValue() : "?") + ")");
        }
        return new Xvfb(p, ":" + number.strip());
    }

    /** The windows on the display, as {@code xwininfo -root -tree} lists them (package x11-utils). */
    String windows() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("xwininfo", "-display", display, "-root", "-tree").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}

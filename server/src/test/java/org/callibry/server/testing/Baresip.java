package org.callibry.server.testing;

import org.callibry.shared.testing.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A headless baresip (Debian package {@code baresip}, installed by {@code scripts/test.sh}) with one
 * account, sending a WAV file as its microphone and writing what it hears to another, on 127.0.0.1.
 */
public final class Baresip implements AutoCloseable {
    private final Process process;
    private final Path dir;

    private Baresip(Process process, Path dir) {
        this.process = process;
        this.dir = dir;
    }

    /**
     * Starts baresip in {@code dir} with account {@code aor} (a SIP URI with parameters such as
     * {@code auth_pass} and {@code answermode=auto}), playing {@code source}; it quits after
     * {@code seconds}; {@code command} (e.g. {@code /dial sip:...}) runs at start when not null.
     */
    public static Baresip start(Path dir, String aor, Path source, int seconds, String command) throws IOException {
        if (!Files.isExecutable(Path.of("/usr/bin/baresip"))) {
            throw new AssertionError("baresip is not installed: run scripts/test.sh, which installs the Debian package baresip");
        }
        Files.createDirectories(dir);
        int sip = FreePorts.block(2); // baresip also listens for TLS on the next port
        int rtp = FreePorts.block(10);
        Files.writeString(dir.resolve("config"), String.join("\n",
                "sip_listen 127.0.0.1:" + sip,
                "net_interface 127.0.0.1",
                // baresip 1.0 plays to ALSA only: the null device; the sndfile filter records what it hears
                "audio_player alsa,null",
                "audio_alert alsa,null",
                "audio_source aufile," + source,
                "rtp_ports " + rtp + "-" + (rtp + 9),
                "module_path /usr/lib/baresip/modules",
                "module g711.so",
                "module aufile.so",
                "module alsa.so",
                "module sndfile.so",
                "snd_path " + dir,
                "module_app account.so",
                "module_app menu.so",
                ""));
        Files.writeString(dir.resolve("accounts"), aor + "\n");
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/baresip", "-f", dir.toString(), "-t", Integer.toString(seconds)));
        if (command != null) {
            cmd.addAll(List.of("-e", command));
        }
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("baresip.log").toFile()).start();
        return new Baresip(p, dir);
    }

    /** The audio it received and decoded ({@code dump-*-dec.wav} of the sndfile module). */
    public Path received() throws IOException {
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith("-dec.wav")).findFirst()
                    .orElse(dir.resolve("no-dump-dec.wav"));
        }
    }

    public String log() throws IOException {
        return Files.readString(dir.resolve("baresip.log"));
    }

    public boolean waitFor(long seconds) throws InterruptedException {
        return process.waitFor(seconds, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        process.destroy();
    }
}

package org.callibry.softphone.phone;

import org.callibry.shared.testing.FreePorts;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * baresip (the Debian package, installed by {@code scripts/test.sh}) run headless on 127.0.0.1 with one
 * account: its microphone is a WAV file (aufile), its speaker the ALSA null device, and the sndfile
 * module records what it decodes to {@code dump-*-dec.wav} in its directory.
 */
final class BaresipPhone implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/baresip");

    private final Process process;
    private final Path dir;

    private BaresipPhone(Process process, Path dir) {
        this.process = process;
        this.dir = dir;
    }

    /**
     * Starts baresip in {@code dir}. {@code account} is one line of baresip's accounts file, e.g.
     * {@code <sip:1801@127.0.0.1:5060>;auth_pass=secret;answermode=auto}; {@code commands} run at start
     * (e.g. {@code /dial sip:1802@127.0.0.1:5060}); baresip quits by itself after {@code seconds}.
     */
    static BaresipPhone start(Path dir, String account, Path microphone, int seconds, String... commands) throws IOException {
        if (!Files.isExecutable(BINARY)) {
            throw new AssertionError(BINARY + " is missing: run scripts/test.sh, which installs the Debian package baresip");
        }
        Files.createDirectories(dir);
        int sip = FreePorts.block(2); // baresip also listens for TLS on the next port
        int rtp = FreePorts.block(10);
        Files.writeString(dir.resolve("config"), String.join("\n",
                "sip_listen 127.0.0.1:" + sip,
                "net_interface 127.0.0.1",
                "audio_source aufile," + microphone.toAbsolutePath(),
                "audio_player alsa,null",
                "audio_alert alsa,null",
                "rtp_ports " + rtp + "-" + (rtp + 9),
                "module_path /usr/lib/baresip/modules",
                "module g711.so",
                "module aufile.so",
                "module alsa.so",
                "module sndfile.so",
                "snd_path " + dir.toAbsolutePath(),
                "module_app account.so",
                "module_app menu.so",
                ""));
        Files.writeString(dir.resolve("accounts"), account + "\n");
        List<String> command = new ArrayList<>(List.of(BINARY.toString(), "-f", dir.toAbsolutePath().toString(),
                "-t", Integer.toString(seconds)));
        for (String c : commands) {
            command.add("-e");
            command.add(c);
        }
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("baresip.log").toFile()).start();
        return new BaresipPhone(p, dir);
    }

    /** The WAV file of what baresip heard, once the sndfile module has created it. */
    Optional<Path> heard() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith("-dec.wav")).findFirst();
        }
    }

    String log() {
        try {
            return Files.readString(dir.resolve("baresip.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Waits for baresip to quit (its {@code -t} time); false when it is still running. */
    boolean waitFor(long seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy(); // SIGTERM: baresip hangs up and closes its files
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}

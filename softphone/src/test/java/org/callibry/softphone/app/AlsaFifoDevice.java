package org.callibry.softphone.app;

import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.callibry.shared.media.Tones;

/**
 * A sound card for a child process without sound hardware: a home directory whose {@code .asoundrc}
 * makes ALSA's default device read its microphone from one named pipe and write its speaker to
 * another (ALSA's {@code file} plugin over {@code null}, converted by {@code plug} to 8 kHz 16-bit
 * mono). javax.sound in the child opens it like any card. This side writes a tone into the microphone
 * pipe at real-time pace (so capture runs at the speed of a real card) and keeps what the speaker
 * played. Give the child {@code HOME=} {@link #home}.
 */
final class AlsaFifoDevice implements AutoCloseable {
    static final int RATE = 8000;

    final Path home;
    private final Path mic;
    private final Path speaker;
    private final ByteArrayOutputStream played = new ByteArrayOutputStream();
    private volatile boolean stopped;
    private final Thread micThread;
    private final Thread speakerThread;

    private AlsaFifoDevice(Path home, double toneHz) {
        this.home = home;
        this.mic = home.resolve("mic.fifo");
        this.speaker = home.resolve("speaker.fifo");
        micThread = Thread.ofPlatform().daemon().name("alsa-mic").start(() -> feed(toneHz));
        speakerThread = Thread.ofPlatform().daemon().name("alsa-speaker").start(this::drain);
    }

    /** Creates the pipes and {@code .asoundrc} in {@code home} and starts feeding {@code toneHz} to the microphone. */
    static AlsaFifoDevice create(Path home, double toneHz) throws IOException, InterruptedException {
        Files.createDirectories(home);
        for (String fifo : new String[] {"mic.fifo", "speaker.fifo"}) {
            Process p = new ProcessBuilder("mkfifo", home.resolve(fifo).toString()).inheritIO().start();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("mkfifo failed for " + fifo);
            }
        }
        Files.writeString(home.resolve(".asoundrc"), """
                pcm.!default {
                    type asym
                    playback.pcm {
                        type plug
                        slave { pcm { type file; slave.pcm "null"; file "%s"; format "raw" }
                                format S16_LE; rate %d; channels 1 }
                    }
                    capture.pcm {
                        type plug
                        slave { pcm { type file; slave.pcm "null"; file "/dev/null"; infile "%s"; format "raw" }
                                format S16_LE; rate %d; channels 1 }
                    }
                }
                """.formatted(home.resolve("speaker.fifo"), RATE, home.resolve("mic.fifo"), RATE));
        return new AlsaFifoDevice(home, toneHz);
    }

    /** The tone in 20 ms chunks, one every 20 ms; again each time the device is opened anew. */
    private void feed(double toneHz) {
        short[] tone = Tones.sine(toneHz, 8000, RATE, RATE); // one second, a whole number of cycles
        ByteBuffer pcm = ByteBuffer.allocate(tone.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        pcm.asShortBuffer().put(tone);
        byte[] second = pcm.array();
        int chunk = RATE / 50 * 2;
        while (!stopped) {
            try (OutputStream out = new FileOutputStream(mic.toFile())) { // waits for ALSA to open it
                long next = System.nanoTime();
                for (int at = 0; !stopped; at = (at + chunk) % second.length) {
                    out.write(second, at, chunk);
                    next += TimeUnit.MILLISECONDS.toNanos(20);
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                }
            } catch (IOException closedByAlsa) {
                // the device was closed (javax.sound probes it before opening it for good): wait for the next open
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void drain() {
        byte[] buf = new byte[8192];
        while (!stopped) {
            try (InputStream in = new FileInputStream(speaker.toFile())) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    synchronized (played) {
                        played.write(buf, 0, n);
                    }
                }
            } catch (IOException e) {
                // reopened on the next loop
            }
        }
    }

    /** What was played on the speaker so far, 8 kHz samples. */
    short[] played() {
        byte[] bytes;
        synchronized (played) {
            bytes = played.toByteArray();
        }
        short[] samples = new short[bytes.length / 2];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(samples);
        return samples;
    }

    /**
     * Stops both threads. Each may be waiting in an open() of its pipe: opening the pipe read-write
     * here (which never blocks on Linux) gives it the other end it waits for.
     */
    @Override
    public void close() throws InterruptedException {
        stopped = true;
        for (Path fifo : new Path[] {mic, speaker}) {
            try (java.io.RandomAccessFile release = new java.io.RandomAccessFile(fifo.toFile(), "rw")) {
                // opened and closed
            } catch (IOException ignored) {
                // gone already
            }
        }
        micThread.join(2000);
        speakerThread.join(2000);
    }
}

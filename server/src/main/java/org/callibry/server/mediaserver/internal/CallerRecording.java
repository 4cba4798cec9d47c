package org.callibry.server.mediaserver.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.callibry.shared.media.WavWriter;

/**
 * Records what a session's caller says into an 8 kHz mono WAV: decoded frames are queued by the network
 * thread and written by this recording's own virtual thread ({@link #run}), until {@link #stop} (the
 * maximum length, a stop digit, or the end of the session).
 */
final class CallerRecording {
    final Path wav;
    final String stopDigits;
    final CompletableFuture<Path> result = new CompletableFuture<>();
    private final BlockingQueue<short[]> frames = new LinkedBlockingQueue<>(3000);
    private final Consumer<CallerRecording> stopped;
    private volatile boolean stopping;

    CallerRecording(Path wav, String stopDigits, Consumer<CallerRecording> stopped) {
        this.wav = wav;
        this.stopDigits = stopDigits == null ? "" : stopDigits;
        this.stopped = stopped;
    }

    /** A frame of the caller's audio (20 ms); dropped once stopping, or when the writer falls 60 s behind. */
    void offer(short[] frame) {
        if (!stopping) {
            frames.offer(frame);
        }
    }

    void stop() {
        stopping = true;
        stopped.accept(this);
        frames.offer(new short[0]);
    }

    void run() {
        try {
            Files.createDirectories(wav.toAbsolutePath().getParent());
            try (WavWriter w = new WavWriter(wav, 8000, 1)) {
                while (true) {
                    short[] f = frames.poll(1, TimeUnit.SECONDS);
                    if (f == null) {
                        if (stopping) {
                            break;
                        }
                        continue;
                    }
                    if (f.length == 0) {
                        break;
                    }
                    w.write(f);
                }
            }
            result.complete(wav);
        } catch (IOException e) {
            result.completeExceptionally(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result.completeExceptionally(e);
        }
    }
}

package org.callibry.server.recording.internal;

import org.callibry.server.recording.CallRecordings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.callibry.server.recording.RecordingFinished;
import org.callibry.shared.media.G711;
import org.callibry.shared.media.WavWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records one call: the relay hands it the G.711 payload of every RTP packet of either side, and it
 * writes both sides on one timeline into an 8 kHz 16-bit WAV file, mixed to mono or as stereo
 * (caller left, callee right).
 * <p>
 * {@link #packet} runs on the relay's network threads and never blocks: it copies the payload into
 * a bounded queue (a full queue drops the packet and counts it). One virtual thread per recording
 * drains the queue, places the audio and writes the file. Each side's audio goes where its arrival
 * time puts it: packets that follow on closely are laid end to end (absorbing jitter), a pause longer
 * than {@value #GAP_MS} ms is filled with silence, and a side may run at most {@value #MAX_LEAD_MS} ms
 * ahead of its arrival clock (a faster sender clock or a burst), beyond which packets are dropped.
 * Audio is written once it is {@value #LATENCY_MS} ms old, so late packets of the other side still
 * find their place.
 * <p>
 * A disk error never reaches the relay: the recording stops, the file keeps what was flushed, and the
 * reason goes into {@link RecordingFinished#error()}.
 */
public final class CallRecorder implements CallRecordings.Recorder {
    private static final Logger log = LoggerFactory.getLogger(CallRecorder.class);

    /** 8 kHz: the rate of G.711 and of every recording. */
    public static final int RATE = 8000;
    /** RTP payload types of RFC 3551 §6: PCMU and PCMA. */
    static final int PCMU = 0;
    static final int PCMA = 8;
    static final int GAP_MS = 60;
    static final int MAX_LEAD_MS = 200;
    static final int LATENCY_MS = 300;
    /** About ten seconds of 20 ms packets from both sides. */
    static final int QUEUE_CAPACITY = 1000;
    /** Per side, samples held before they are written: latency, lead and jitter with room to spare. */
    private static final int RING = 4 * RATE;
    /** Flush (and rewrite the header sizes) after this much audio, so a crash loses at most this much. */
    private static final int FLUSH_SAMPLES = RATE;

    private static final Packet CLOSE = new Packet(-1, 0, null);

    /** The metadata of the recording, as {@link RecordingFinished} carries it. */
    public record Call(String callId, Long tenantId, String aNumber, String bNumber) {
    }

    private record Packet(int side, long arrivalNanos, short[] samples) {
    }

    private final Path wav;
    private final boolean stereo;
    private final Call call;
    private final Consumer<RecordingFinished> finished;
    private final BlockingQueue<Packet> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private final CompletableFuture<RecordingFinished> done = new CompletableFuture<>();
    private final Instant startedAt;
    private final long originNanos;
    private volatile boolean closed;
    private volatile String closeError;

    // writer thread state
    private WavWriter writer;
    private String failure;
    private final short[][] ring = {new short[RING], new short[RING]};
    /** Timeline position (samples since {@link #originNanos}) of the next sample to write to the file. */
    private long base;
    /** Per side: where its next audio goes. */
    private final long[] cursor = new long[2];
    private final boolean[] heard = new boolean[2];
    /** The latest arrival position seen. */
    private long watermark;
    private long sinceFlush;

    /**
     * Starts recording to {@code wav} (created now, on the writer thread); {@code failure} non-null means
     * the recording cannot be made (no disk space, ...) and only the failure will be reported.
     */
    CallRecorder(Path wav, boolean stereo, Call call, Consumer<RecordingFinished> finished, String failure) {
        this.wav = wav;
        this.stereo = stereo;
        this.call = call;
        this.finished = finished;
        this.failure = failure;
        this.startedAt = Instant.now();
        this.originNanos = System.nanoTime();
        Thread.ofVirtual().name("recorder-" + call.callId()).start(this::run);
    }

    /**
     * One RTP payload of {@code side} (0 caller, 1 callee), arrived at {@code arrivalNanos}
     * ({@link System#nanoTime()}). PCMU (0) and PCMA (8) are recorded; other payload types
     * (telephone-event, comfort noise, ...) are ignored. Never blocks; safe from any thread.
     */
    @Override
    public void packet(int side, long arrivalNanos, int payloadType, byte[] buf, int offset, int length) {
        if (closed || length <= 0 || (side != 0 && side != 1)) {
            return;
        }
        short[] samples = new short[length];
        if (payloadType == PCMU) {
            G711.decodeUlaw(buf, offset, length, samples, 0);
        } else if (payloadType == PCMA) {
            G711.decodeAlaw(buf, offset, length, samples, 0);
        } else {
            return;
        }
        if (!queue.offer(new Packet(side, arrivalNanos, samples))) {
            dropped.incrementAndGet();
        }
    }

    /**
     * Ends the recording: the writer finishes the file in the background and then publishes
     * {@link RecordingFinished}. {@code error} is null, or why the call's recording is incomplete.
     * Idempotent; never blocks.
     */
    @Override
    public void close(String error) {
        if (closed) {
            return;
        }
        closeError = error;
        closed = true;
        queue.offer(CLOSE);
    }

    /** Completes with the event once the file is finished (for tests and shutdown). */
    public CompletableFuture<RecordingFinished> finished() {
        return done;
    }

    @Override
    public Path wav() {
        return wav;
    }

    /** Packets dropped because the writer fell behind. */
    public long dropped() {
        return dropped.get();
    }

    private void run() {
        try {
            if (failure == null) {
                open();
            }
            while (true) {
                Packet p = queue.poll(100, TimeUnit.MILLISECONDS);
                if (p == CLOSE || p == null && closed) {
                    break;
                }
                if (failure != null) {
                    continue;
                }
                if (p != null) {
                    place(p);
                } else {
                    // nobody speaks: move the timeline on with the clock
                    advance(position(System.nanoTime()) - RATE);
                }
            }
            Packet rest;
            while ((rest = queue.poll()) != null) {
                if (rest != CLOSE && failure == null) {
                    place(rest);
                }
            }
            if (failure == null) {
                writeUpTo(Math.max(cursor[0], cursor[1]));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "interrupted";
        } catch (RuntimeException e) {
            fail("recorder error: " + e);
        } finally {
            finish();
        }
    }

    private void open() {
        try {
            Files.createDirectories(wav.getParent());
            writeSideFile();
            writer = new WavWriter(wav, RATE, stereo ? 2 : 1);
        } catch (IOException e) {
            fail("cannot create " + wav + ": " + e);
        }
    }

    /** The call's metadata beside the WAV, for cataloguing a WAV left behind by a crash. */
    static Path sideFile(Path wav) {
        String name = wav.getFileName().toString();
        return wav.resolveSibling(name.substring(0, name.length() - ".wav".length()) + ".properties");
    }

    private void writeSideFile() throws IOException {
        Properties p = new Properties();
        p.setProperty("callId", call.callId());
        if (call.tenantId() != null) {
            p.setProperty("tenantId", call.tenantId().toString());
        }
        p.setProperty("aNumber", call.aNumber() == null ? "" : call.aNumber());
        p.setProperty("bNumber", call.bNumber() == null ? "" : call.bNumber());
        p.setProperty("channels", stereo ? "2" : "1");
        p.setProperty("startedAt", startedAt.toString());
        try (var out = Files.newBufferedWriter(sideFile(wav))) {
            p.store(out, "call recording");
        }
    }

    private long position(long nanos) {
        return Math.max(0, (nanos - originNanos) * RATE / 1_000_000_000L);
    }

    private void place(Packet p) {
        int side = p.side();
        short[] samples = p.samples();
        long arrival = position(p.arrivalNanos());
        // the packet's first sample played about one packet before it arrived
        long due = Math.max(0, arrival - samples.length);
        long at = cursor[side];
        if (!heard[side] || due > at + GAP_MS * RATE / 1000) {
            // first packet of the side, or after a pause: start where the clock says (the gap stays silent)
            at = due;
            heard[side] = true;
        } else if (at > due + MAX_LEAD_MS * RATE / 1000) {
            // this side runs ahead of its arrival clock: drop until the clock catches up
            return;
        }
        at = Math.max(at, base);
        if (at + samples.length - base > RING) {
            // the writer is far behind this side (cannot happen with the bounds above): push out what is old
            writeUpTo(at + samples.length - RING);
            if (failure != null) {
                return;
            }
        }
        short[] r = ring[side];
        for (int i = 0; i < samples.length; i++) {
            r[(int) ((at + i) % RING)] = samples[i];
        }
        cursor[side] = at + samples.length;
        advance(arrival);
    }

    /** The clock reached {@code position}: audio older than the latency is final and goes to the file. */
    private void advance(long position) {
        if (position > watermark) {
            watermark = position;
        }
        writeUpTo(watermark - LATENCY_MS * RATE / 1000);
    }

    private void writeUpTo(long end) {
        if (end <= base || failure != null) {
            return;
        }
        short[] out = new short[stereo ? 2 * 160 : 160];
        try {
            while (base < end) {
                int n = (int) Math.min(160, end - base);
                for (int i = 0; i < n; i++) {
                    int slot = (int) ((base + i) % RING);
                    short a = ring[0][slot];
                    short b = ring[1][slot];
                    ring[0][slot] = 0;
                    ring[1][slot] = 0;
                    if (stereo) {
                        out[2 * i] = a;
                        out[2 * i + 1] = b;
                    } else {
                        out[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, a + b));
                    }
                }
                writer.write(out, 0, stereo ? 2 * n : n);
                base += n;
                sinceFlush += n;
            }
            if (sinceFlush >= FLUSH_SAMPLES) {
                sinceFlush = 0;
                writer.flush();
            }
        } catch (IOException e) {
            fail("write failed: " + e);
        }
    }

    private void fail(String reason) {
        if (failure == null) {
            failure = reason;
            log.warn("Recording of call {} stopped: {}", call.callId(), reason);
        }
        if (writer != null) {
            try {
                writer.close();
            } catch (IOException ignored) {
                // the disk is the problem; the file keeps what the last flush wrote
            }
            writer = null;
        }
    }

    private void finish() {
        if (writer != null) {
            try {
                writer.close();
            } catch (IOException e) {
                fail("write failed: " + e);
            }
        }
        if (dropped.get() > 0) {
            log.warn("Recording of call {}: {} packets dropped (the writer fell behind)", call.callId(), dropped.get());
        }
        String error = failure != null ? failure : closeError;
        if (failure != null && closeError != null) {
            error = failure + "; " + closeError;
        }
        RecordingFinished event = new RecordingFinished(call.callId(), call.tenantId(), call.aNumber(), call.bNumber(), wav,
                stereo ? 2 : 1, startedAt, Instant.now(), error);
        try {
            finished.accept(event);
        } catch (RuntimeException e) {
            log.error("Publishing the end of the recording of call {} failed", call.callId(), e);
        } finally {
            done.complete(event);
        }
    }
}

package org.callibry.softphone.audio;

import java.util.TreeMap;

/**
 * Turns the RTP packets of one stream, arriving early, late, twice or not at all, into a steady
 * frame every 20 ms.
 *
 * <p>Policy (see docs/softphone-audio.md): frames are kept by extended sequence number, so reordered
 * packets are played in order and the 16-bit wrap-around is invisible. A packet older than the one
 * being played is late and dropped. The target delay starts at {@link #MIN_DELAY_MS}, grows at once
 * when the RFC 3550 jitter estimate calls for more or a packet comes late, and shrinks by one frame
 * at most every {@link #SHRINK_AFTER_FRAMES} frames; it never exceeds {@link #MAX_DELAY_MS}. A
 * missing frame is waited for while fewer than the target are buffered behind it (the delay grows),
 * otherwise declared lost and concealed by repeating the last frame, attenuated, then silence. A
 * buffer kept above the target drops a frame now and then to bring the delay back down. A new SSRC
 * starts everything over.
 *
 * <p>Thread-safe: packets are offered by the receive thread and frames taken by the clock.
 */
public final class JitterBuffer {
    public static final int MIN_DELAY_MS = AudioFrame.MILLIS;
    public static final int MAX_DELAY_MS = 200;
    /** Frames concealed by repetition before silence. */
    public static final int CONCEALMENT_FRAMES = 4;
    /** Gain applied per repetition: 0.7, 0.49, 0.34, 0.24. */
    static final double CONCEALMENT_GAIN = 0.7;
    /** Frames (2 s) between two one-frame reductions of the target delay. */
    static final int SHRINK_AFTER_FRAMES = 100;
    /** Frames (1 s) the buffer must hold more than needed before one frame is dropped. */
    static final int DRAIN_AFTER_FRAMES = 50;
    private static final int MIN_FRAMES = MIN_DELAY_MS / AudioFrame.MILLIS;
    private static final int MAX_FRAMES = MAX_DELAY_MS / AudioFrame.MILLIS;
    /** A jump of the sequence number larger than this is a restarted stream, not loss. */
    private static final int MAX_JUMP = 3000;

    /** Counters since the buffer was made (they survive SSRC changes). */
    public record Statistics(long received, long played, long lost, long late, long duplicates, long concealed,
                             long dropped, int targetDelayMillis, int bufferedMillis, double jitterMillis) {
    }

    private final TreeMap<Long, short[]> frames = new TreeMap<>();
    private boolean haveSsrc;
    private int ssrc;
    private long highest = -1;
    private long next = -1;
    private short[] last;
    private int concealedInRow;
    private double jitterMillis;
    private double lastTransit = Double.NaN;
    private long lastTimestamp = -1;
    private int targetFrames = MIN_FRAMES;
    private int framesSinceGrowth;
    private int framesAboveTarget;

    private long received;
    private long played;
    private long lost;
    private long late;
    private long duplicates;
    private long concealed;
    private long dropped;

    /**
     * Adds the samples of one packet.
     *
     * @param sequence      the RTP sequence number, 0-65535
     * @param timestamp     the RTP timestamp (8 kHz units)
     * @param arrivalNanos  when it arrived, on any monotonic clock ({@link System#nanoTime()})
     * @return false if it was dropped (late or a duplicate)
     */
    public synchronized boolean offer(int sequence, long timestamp, int ssrc, short[] samples, long arrivalNanos) {
        if (!haveSsrc || ssrc != this.ssrc) {
            restart();
            haveSsrc = true;
            this.ssrc = ssrc;
        }
        long ext = extend(sequence);
        if (highest >= 0 && Math.abs(ext - highest) > MAX_JUMP) {
            restart();
            haveSsrc = true;
            this.ssrc = ssrc;
            ext = extend(sequence);
        }
        if (next >= 0 && ext < next) {
            late++;
            grow(targetFrames + 1);
            return false;
        }
        if (frames.containsKey(ext)) {
            duplicates++;
            return false;
        }
        frames.put(ext, samples.length == AudioFrame.SAMPLES ? samples : java.util.Arrays.copyOf(samples, AudioFrame.SAMPLES));
        highest = Math.max(highest, ext);
        received++;
        updateJitter(timestamp, arrivalNanos);
        return true;
    }

    /**
     * Takes a sequence number that carries no audio (an RFC 4733 event sent instead of audio) as
     * 20 ms of silence, so the gap is neither concealed nor counted as loss.
     */
    public synchronized void offerSilence(int sequence, int ssrc) {
        if (!haveSsrc || ssrc != this.ssrc) {
            return;
        }
        long ext = extend(sequence);
        if ((next >= 0 && ext < next) || frames.containsKey(ext) || Math.abs(ext - highest) > MAX_JUMP) {
            return;
        }
        frames.put(ext, AudioFrame.silence());
        highest = Math.max(highest, ext);
    }

    /** The next 20 ms to play: a received frame, a concealed one, or silence. */
    public synchronized short[] poll() {
        framesSinceGrowth++;
        if (framesSinceGrowth >= SHRINK_AFTER_FRAMES && targetFrames > Math.max(MIN_FRAMES, jitterFrames())) {
            targetFrames--;
            framesSinceGrowth = 0;
        }
        if (next < 0) {
            // priming: play once the target delay is buffered
            if (frames.isEmpty() || highest - frames.firstKey() + 1 < targetFrames) {
                return AudioFrame.silence();
            }
            next = frames.firstKey();
        }
        drain();
        short[] frame = frames.remove(next);
        if (frame != null) {
            next++;
            last = frame;
            concealedInRow = 0;
            played++;
            return frame;
        }
        if (highest - next + 1 > targetFrames) {
            // enough is buffered behind the gap: that packet is lost, not late
            lost++;
            next++;
        }
        return conceal();
    }

    /** Forgets the stream (after hold, or when the far end changes); statistics are kept. */
    public synchronized void reset() {
        restart();
    }

    /** The delay the buffer aims for now. */
    public synchronized int targetDelayMillis() {
        return targetFrames * AudioFrame.MILLIS;
    }

    public synchronized Statistics statistics() {
        int buffered = next < 0 ? frames.size() : (int) Math.max(0, highest - next + 1);
        return new Statistics(received, played, lost, late, duplicates, concealed, dropped,
                targetFrames * AudioFrame.MILLIS, buffered * AudioFrame.MILLIS, jitterMillis);
    }

    private void restart() {
        frames.clear();
        highest = -1;
        next = -1;
        last = null;
        concealedInRow = 0;
        lastTransit = Double.NaN;
        lastTimestamp = -1;
        framesAboveTarget = 0;
    }

    /** RFC 3550 §A.1: the 16-bit sequence number extended with a cycle count, nearest the highest seen. */
    private long extend(int sequence) {
        if (highest < 0) {
            // start well above zero so packets reordered before the first one stay positive
            return (1L << 16) + sequence;
        }
        long candidate = (highest & ~0xFFFFL) | sequence;
        if (candidate - highest > 0x8000) {
            candidate -= 0x10000;
        } else if (highest - candidate > 0x8000) {
            candidate += 0x10000;
        }
        return candidate;
    }

    /** RFC 3550 §A.8: interarrival jitter, here in milliseconds. */
    private void updateJitter(long timestamp, long arrivalNanos) {
        if (timestamp == lastTimestamp) {
            return;
        }
        lastTimestamp = timestamp;
        double transit = arrivalNanos / 1e6 - timestamp / (AudioFrame.SAMPLE_RATE / 1000.0);
        if (!Double.isNaN(lastTransit)) {
            double d = Math.abs(transit - lastTransit);
            // a timestamp jump (new talkspurt, wrap) is not jitter
            if (d < 1000) {
                jitterMillis += (d - jitterMillis) / 16;
            }
        }
        lastTransit = transit;
        grow(jitterFrames());
    }

    /** Frames of delay the jitter estimate asks for: three mean deviations, rounded up, plus a margin. */
    private int jitterFrames() {
        return (int) Math.ceil((3 * jitterMillis + 5) / AudioFrame.MILLIS);
    }

    private void grow(int frames) {
        int target = Math.min(MAX_FRAMES, Math.max(MIN_FRAMES, frames));
        if (target > targetFrames) {
            targetFrames = target;
            framesSinceGrowth = 0;
        }
    }

    /** Brings a delay well above the target back down: at once beyond the maximum, slowly otherwise. */
    private void drain() {
        long buffered = highest - next + 1;
        if (buffered > MAX_FRAMES + 1) {
            long newNext = highest - targetFrames + 1;
            dropped += frames.headMap(newNext).size();
            frames.headMap(newNext).clear();
            next = newNext;
            framesAboveTarget = 0;
            return;
        }
        if (buffered > targetFrames + 1) {
            if (++framesAboveTarget >= DRAIN_AFTER_FRAMES && frames.remove(next) != null) {
                dropped++;
                next++;
                framesAboveTarget = 0;
            }
        } else {
            framesAboveTarget = 0;
        }
    }

    private short[] conceal() {
        concealed++;
        concealedInRow++;
        if (last == null || concealedInRow > CONCEALMENT_FRAMES) {
            return AudioFrame.silence();
        }
        return AudioFrame.scaled(last, Math.pow(CONCEALMENT_GAIN, concealedInRow));
    }
}

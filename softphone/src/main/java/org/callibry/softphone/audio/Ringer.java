package org.callibry.softphone.audio;

import java.util.List;
import org.callibry.shared.media.Tones;

/**
 * A tone played in a repeating on/off cadence, as an {@link AudioSource}: the ringtone that
 * announces an incoming call and the ringback a caller hears while the far end rings.
 */
public final class Ringer implements AudioSource {
    /** One step of a cadence: the frequencies summed (none for a pause) for {@code millis}. */
    public record Segment(int millis, double... frequencies) {
        public Segment {
            if (millis <= 0) {
                throw new IllegalArgumentException("a segment lasts at least 1 ms");
            }
            frequencies = frequencies.clone();
        }

        public boolean silent() {
            return frequencies.length == 0;
        }
    }

    /** ETSI/ITU-T E.180 ringback used in most of Europe and Russia: 425 Hz, 1 s on, 4 s off. */
    public static final List<Segment> RINGBACK_EUROPE = List.of(new Segment(1000, 425), new Segment(4000));
    /** North American ringback: 440 + 480 Hz, 2 s on, 4 s off. */
    public static final List<Segment> RINGBACK_US = List.of(new Segment(2000, 440, 480), new Segment(4000));
    /** Ringtone: a double ring of 400 + 450 Hz (0.4 s on, 0.2 s off, 0.4 s on, 2 s off). */
    public static final List<Segment> RINGTONE = List.of(new Segment(400, 400, 450), new Segment(200),
            new Segment(400, 400, 450), new Segment(2000));

    private static final int AMPLITUDE = 6000;

    private final List<Segment> cadence;
    private final int amplitude;
    private final int cycleSamples;
    private long position;

    /** Plays {@code cadence} over and over, each sine with peak {@code amplitude}. */
    public Ringer(List<Segment> cadence, int amplitude) {
        if (cadence.isEmpty()) {
            throw new IllegalArgumentException("empty cadence");
        }
        this.cadence = List.copyOf(cadence);
        this.amplitude = amplitude;
        this.cycleSamples = this.cadence.stream().mapToInt(s -> s.millis() * AudioFrame.SAMPLE_RATE / 1000).sum();
    }

    /** The incoming-call ringtone. */
    public static Ringer ringtone() {
        return new Ringer(RINGTONE, AMPLITUDE);
    }

    /** European ringback (425 Hz, 1 s on, 4 s off). */
    public static Ringer ringback() {
        return new Ringer(RINGBACK_EUROPE, AMPLITUDE);
    }

    /** North American ringback (440 + 480 Hz, 2 s on, 4 s off). */
    public static Ringer ringbackUs() {
        return new Ringer(RINGBACK_US, AMPLITUDE);
    }

    @Override
    public synchronized short[] read() {
        short[] frame = AudioFrame.silence();
        for (int i = 0; i < frame.length; i++) {
            frame[i] = sample(position + i);
        }
        position += frame.length;
        return frame;
    }

    private short sample(long n) {
        int inCycle = (int) (n % cycleSamples);
        for (Segment segment : cadence) {
            int length = segment.millis() * AudioFrame.SAMPLE_RATE / 1000;
            if (inCycle < length) {
                double v = 0;
                for (double f : segment.frequencies()) {
                    // phase continues across segments and cycles, so no click where a tone resumes
                    v += amplitude * Math.sin(2 * Math.PI * f * n / AudioFrame.SAMPLE_RATE);
                }
                return Tones.clip(v);
            }
            inCycle -= length;
        }
        return 0;
    }
}

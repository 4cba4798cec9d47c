package org.callibry.server.relay.rtp;

import org.callibry.shared.media.Tones;

/**
 * The default music on hold, playlist {@value #PLAYLIST}: 30 seconds of a soft chord progression
 * (C – Am – F – G, twice, 3.75 s a chord) with a slow arpeggio on top, generated here from sine tones with gentle
 * envelopes, so it is free of anyone's rights. 8 kHz mono 16-bit, deterministic, and it loops without
 * a click (it starts and ends in silence). Voices stay within the telephone band (175-1050 Hz fundamentals,
 * with harmonics above), where G.711 carries them well.
 */
public final class DefaultMusic {
    public static final String PLAYLIST = "default";
    public static final int RATE = 8000;
    public static final int SECONDS = 30;

    /** Each chord as frequencies in Hz: C major, A minor, F major, G major (close voicing around middle C). */
    private static final double[][] CHORDS = {
            {261.63, 329.63, 392.00},
            {220.00, 261.63, 329.63},
            {349.23, 440.00, 523.25},
            {196.00, 246.94, 293.66},
    };

    private static final short[] SAMPLES = generate();

    private DefaultMusic() {
    }

    /** The music's samples (a copy: callers may change theirs). */
    public static short[] samples() {
        return SAMPLES.clone();
    }

    private static short[] generate() {
        int total = SECONDS * RATE;
        double[] mix = new double[total];
        int chords = 8;
        int chordLength = total / chords;
        for (int c = 0; c < chords; c++) {
            double[] chord = CHORDS[c % CHORDS.length];
            int start = c * chordLength;
            // pads overlap by half a second so the harmony never drops out between chords
            int length = Math.min(total - start, chordLength + RATE / 2);
            for (double f : chord) {
                pad(mix, start, length, f, 1400);
            }
            // an arpeggio an octave up: root, third, fifth, third, eight notes a chord
            int[] order = {0, 1, 2, 1, 0, 1, 2, 1};
            int step = chordLength / order.length;
            for (int i = 0; i < order.length; i++) {
                bell(mix, start + i * step, Math.min(total - start - i * step, 2 * step), chord[order[i]] * 2, 1500);
            }
        }
        short[] out = new short[total];
        int fade = RATE;
        for (int i = 0; i < total; i++) {
            double edge = Math.min(1.0, Math.min(i, total - 1 - i) / (double) fade);
            out[i] = Tones.clip(mix[i] * edge);
        }
        return out;
    }

    /** A sustained note: slow attack and release, with a soft second harmonic for warmth. */
    private static void pad(double[] mix, int start, int length, double f, double amplitude) {
        double attack = 0.4 * RATE;
        double release = 0.6 * RATE;
        for (int i = 0; i < length && start + i < mix.length; i++) {
            double env = Math.min(1.0, Math.min(i / attack, (length - i) / release));
            double t = (double) i / RATE;
            double v = Math.sin(2 * Math.PI * f * t) + 0.25 * Math.sin(2 * Math.PI * 2 * f * t);
            mix[start + i] += amplitude * env * v;
        }
    }

    /** A plucked note: quick attack, exponential decay. */
    private static void bell(double[] mix, int start, int length, double f, double amplitude) {
        for (int i = 0; i < length && start + i < mix.length; i++) {
            double t = (double) i / RATE;
            double env = Math.min(1.0, i / (0.01 * RATE)) * Math.exp(-3.0 * t);
            double v = Math.sin(2 * Math.PI * f * t) + 0.3 * Math.sin(2 * Math.PI * 3 * f * t);
            mix[start + i] += amplitude * env * v;
        }
    }
}

package org.callibry.shared.media;

/**
 * The Goertzel algorithm: the power of one frequency in a block of samples, in O(n) and without an
 * FFT. Used by tests to check which tones a recording holds, and by in-band DTMF detection.
 */
public final class Goertzel {
    private Goertzel() {
    }

    /**
     * The power of {@code frequency} in {@code samples[offset..offset+length)} as the squared amplitude
     * of that component: a sine of amplitude A at the frequency gives about A², silence 0.
     */
    public static double power(short[] samples, int offset, int length, double sampleRate, double frequency) {
        if (length <= 0) {
            return 0;
        }
        double coeff = 2 * Math.cos(2 * Math.PI * frequency / sampleRate);
        double s1 = 0;
        double s2 = 0;
        for (int i = offset; i < offset + length; i++) {
            double s = samples[i] + coeff * s1 - s2;
            s2 = s1;
            s1 = s;
        }
        double magnitude2 = s1 * s1 + s2 * s2 - coeff * s1 * s2;
        return magnitude2 / ((double) length * length / 4);
    }

    /** The power of {@code frequency} over all of {@code samples}. */
    public static double power(short[] samples, double sampleRate, double frequency) {
        return power(samples, 0, samples.length, sampleRate, frequency);
    }

    /**
     * The share of the block's energy at {@code frequency}, about 1 for a pure sine of that frequency and
     * about 0.5 for each tone of an equal dual tone; 0 for silence.
     */
    public static double share(short[] samples, int offset, int length, double sampleRate, double frequency) {
        double meanSquare = 0;
        for (int i = offset; i < offset + length; i++) {
            meanSquare += (double) samples[i] * samples[i];
        }
        if (meanSquare == 0) {
            return 0;
        }
        meanSquare /= length;
        // a sine of amplitude A has mean square A²/2
        return power(samples, offset, length, sampleRate, frequency) / (2 * meanSquare);
    }

    /** The candidate frequency with the most power in {@code samples}. */
    public static double dominant(short[] samples, double sampleRate, double... candidates) {
        if (candidates.length == 0) {
            throw new IllegalArgumentException("no candidate frequencies");
        }
        double best = candidates[0];
        double bestPower = -1;
        for (double f : candidates) {
            double p = power(samples, 0, samples.length, sampleRate, f);
            if (p > bestPower) {
                bestPower = p;
                best = f;
            }
        }
        return best;
    }
}

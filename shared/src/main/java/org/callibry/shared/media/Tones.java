package org.callibry.shared.media;

/** Generates sine tones and dual tones as 16-bit samples (test signals, ringback, DTMF, music on hold). */
public final class Tones {
    private Tones() {
    }

    /** {@code count} samples of a sine of {@code frequency} Hz and peak {@code amplitude} (sample units). */
    public static short[] sine(double frequency, int amplitude, int sampleRate, int count) {
        short[] out = new short[count];
        add(out, 0, count, frequency, amplitude, sampleRate, 0);
        return out;
    }

    /** Two sines of equal peak {@code amplitude} each, summed (and clipped), as DTMF and ringback use. */
    public static short[] dual(double frequency1, double frequency2, int amplitude, int sampleRate, int count) {
        short[] out = new short[count];
        add(out, 0, count, frequency1, amplitude, sampleRate, 0);
        add(out, 0, count, frequency2, amplitude, sampleRate, 0);
        return out;
    }

    /**
     * Adds a sine to {@code out[offset..offset+length)}, clipping at the 16-bit range; {@code startSample}
     * is the phase (in samples since the tone began), so a tone can be written block by block.
     */
    public static void add(short[] out, int offset, int length, double frequency, double amplitude, int sampleRate,
                           long startSample) {
        double w = 2 * Math.PI * frequency / sampleRate;
        for (int i = 0; i < length; i++) {
            double v = out[offset + i] + amplitude * Math.sin(w * (startSample + i));
            out[offset + i] = clip(v);
        }
    }

    /** The value rounded and limited to the 16-bit range. */
    public static short clip(double v) {
        long r = Math.round(v);
        return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, r));
    }
}

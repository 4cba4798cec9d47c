package org.callibry.softphone.audio;

/**
 * The one audio format inside the softphone: 8 kHz mono 16-bit linear samples in frames of 20 ms
 * (160 samples), the G.711 packet size most phones use (RFC 3551 §4.5.14: default ptime 20 ms).
 */
public final class AudioFrame {
    public static final int SAMPLE_RATE = 8000;
    public static final int MILLIS = 20;
    public static final int SAMPLES = SAMPLE_RATE * MILLIS / 1000;

    private AudioFrame() {
    }

    /** A frame of silence. */
    public static short[] silence() {
        return new short[SAMPLES];
    }

    /** Root mean square of the samples (0 for silence, about 23170 for a full-scale sine). */
    public static double rms(short[] frame) {
        if (frame.length == 0) {
            return 0;
        }
        double sum = 0;
        for (short s : frame) {
            sum += (double) s * s;
        }
        return Math.sqrt(sum / frame.length);
    }

    /** The largest absolute sample value. */
    public static int peak(short[] frame) {
        int peak = 0;
        for (short s : frame) {
            peak = Math.max(peak, Math.abs((int) s));
        }
        return peak;
    }

    /** {@code frame} scaled by {@code gain} into a new frame, clipped to the 16-bit range. */
    public static short[] scaled(short[] frame, double gain) {
        short[] out = new short[frame.length];
        for (int i = 0; i < frame.length; i++) {
            out[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(frame[i] * gain)));
        }
        return out;
    }
}

package org.callibry.shared.media;

/**
 * Changes the sample rate of mono 16-bit audio with a windowed-sinc (Blackman) interpolator whose
 * cut-off sits below the lower of the two Nyquist frequencies, so downsampling a 44.1 kHz prompt to
 * 8 kHz does not fold its highs back into the telephone band.
 */
public final class Resampler {
    /** Zero crossings of the sinc on each side of a point, at the lower rate. */
    private static final int ZEROS = 12;

    private Resampler() {
    }

    /** {@code samples} at {@code fromRate} as samples at {@code toRate}; the same array when the rates agree. */
    public static short[] resample(short[] samples, int fromRate, int toRate) {
        if (fromRate <= 0 || toRate <= 0) {
            throw new IllegalArgumentException("sample rates must be positive");
        }
        if (fromRate == toRate) {
            return samples;
        }
        long count = (long) samples.length * toRate / fromRate;
        short[] out = new short[(int) count];
        double step = (double) fromRate / toRate;
        // cut-off as a fraction of the input rate: 0.5 is the input's Nyquist frequency
        double cutoff = 0.5 * Math.min(1.0, (double) toRate / fromRate) * 0.92;
        double halfWidth = ZEROS / (2 * cutoff);
        for (int i = 0; i < out.length; i++) {
            double t = i * step;
            int first = (int) Math.ceil(t - halfWidth);
            int last = (int) Math.floor(t + halfWidth);
            double sum = 0;
            for (int k = Math.max(0, first); k <= Math.min(samples.length - 1, last); k++) {
                double x = k - t;
                sum += samples[k] * kernel(x, cutoff, halfWidth);
            }
            out[i] = Tones.clip(sum);
        }
        return out;
    }

    private static double kernel(double x, double cutoff, double halfWidth) {
        double a = 2 * cutoff * x;
        double sinc = a == 0 ? 1 : Math.sin(Math.PI * a) / (Math.PI * a);
        double n = (x + halfWidth) / (2 * halfWidth);
        double window = 0.42 - 0.5 * Math.cos(2 * Math.PI * n) + 0.08 * Math.cos(4 * Math.PI * n);
        return 2 * cutoff * sinc * window;
    }
}

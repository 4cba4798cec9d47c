package org.callibry.softphone.audio;

/**
 * A rate converter for a live stream, block by block, keeping its state between blocks (the shared
 * {@code Resampler} works on whole buffers and would click at every block edge). Linear
 * interpolation, with a moving average over one output period when downsampling as a cheap
 * anti-alias filter: good enough for speech into a telephone codec.
 */
final class StreamResampler {
    private final double step;
    private final int window;
    private final double[] history;
    private int historyAt;
    private double sum;
    private double position;
    private double previous;
    private long consumed;

    StreamResampler(int fromRate, int toRate) {
        this.step = (double) fromRate / toRate;
        this.window = Math.max(1, (int) Math.round(step));
        this.history = new double[window];
    }

    /** The output samples for the next input block (the count varies by one from block to block). */
    short[] process(short[] in, int length) {
        short[] out = new short[(int) Math.ceil((length + 1) / step) + 1];
        int n = 0;
        for (int i = 0; i < length; i++) {
            sum += in[i] - history[historyAt];
            history[historyAt] = in[i];
            historyAt = (historyAt + 1) % window;
            double current = sum / window;
            long index = consumed + i;
            // emit every output point that lies between the previous input sample and this one
            while (position <= index) {
                double frac = position - (index - 1);
                double v = previous + (current - previous) * Math.max(0, Math.min(1, frac));
                out[n++] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(v)));
                position += step;
            }
            previous = current;
        }
        consumed += length;
        return java.util.Arrays.copyOf(out, n);
    }
}

package org.callibry.softphone.audio;

import org.callibry.shared.media.Tones;

/** A continuous sine or sum of sines (a test signal, the settings view's speaker test). */
public final class ToneSource implements AudioSource {
    private final double[] frequencies;
    private final int amplitude;
    private long position;

    /** Sines of {@code frequencies} Hz, each with peak {@code amplitude} (sample units). */
    public ToneSource(int amplitude, double... frequencies) {
        if (frequencies.length == 0) {
            throw new IllegalArgumentException("no frequency");
        }
        this.frequencies = frequencies.clone();
        this.amplitude = amplitude;
    }

    @Override
    public synchronized short[] read() {
        short[] frame = AudioFrame.silence();
        for (double f : frequencies) {
            Tones.add(frame, 0, frame.length, f, amplitude, AudioFrame.SAMPLE_RATE, position);
        }
        position += frame.length;
        return frame;
    }
}

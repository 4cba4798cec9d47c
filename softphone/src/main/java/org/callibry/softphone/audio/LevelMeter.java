package org.callibry.softphone.audio;

/**
 * The level of the last frame that passed a device (RMS and peak), for the settings view's meter.
 * Written by the audio thread, read by the UI thread.
 */
public final class LevelMeter {
    private volatile double rms;
    private volatile int peak;

    /** Measures {@code frame}. */
    public void update(short[] frame) {
        rms = AudioFrame.rms(frame);
        peak = AudioFrame.peak(frame);
    }

    /** RMS of the last frame in sample units (0-32767). */
    public double rms() {
        return rms;
    }

    /** Peak of the last frame in sample units (0-32768). */
    public int peak() {
        return peak;
    }

    /** RMS as a fraction of full scale, 0.0-1.0, for a progress bar. */
    public double level() {
        return Math.min(1.0, rms / Short.MAX_VALUE);
    }

    /** RMS in dB below full scale (0 at full scale, -96 or less for near silence). */
    public double dbfs() {
        double r = rms;
        return r <= 0 ? -120 : 20 * Math.log10(r / Short.MAX_VALUE);
    }
}

package org.callibry.softphone.audio;

/**
 * Where a call's outgoing audio comes from: a microphone, a file, a tone. The caller paces it,
 * asking for one {@link AudioFrame} (160 samples, 20 ms) every 20 ms; {@link #read()} must not
 * block for long, and gives silence rather than nothing when it has no audio.
 */
public interface AudioSource extends AutoCloseable {
    /** The next 20 ms: exactly {@link AudioFrame#SAMPLES} samples at 8 kHz. */
    short[] read();

    /** Releases the device or file; the default does nothing. */
    @Override
    default void close() {
    }
}

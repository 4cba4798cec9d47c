package org.callibry.softphone.audio;

/**
 * Where a call's incoming audio goes: a speaker, a file. It is given one {@link AudioFrame} every
 * 20 ms and must not block for long.
 */
public interface AudioSink extends AutoCloseable {
    /** Plays or stores 20 ms: {@link AudioFrame#SAMPLES} samples at 8 kHz. */
    void write(short[] frame);

    /** Flushes and releases the device or file; the default does nothing. */
    @Override
    default void close() {
    }
}

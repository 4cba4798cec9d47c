package org.callibry.softphone.audio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.callibry.shared.media.WavWriter;

/** Records the frames it is given to an 8 kHz mono WAV file (tests, call recording). */
public final class WavFileSink implements AudioSink {
    private final WavWriter writer;
    private boolean closed;

    public WavFileSink(Path file) throws IOException {
        this.writer = new WavWriter(file, AudioFrame.SAMPLE_RATE, 1);
    }

    @Override
    public synchronized void write(short[] frame) {
        if (closed) {
            return;
        }
        try {
            writer.write(frame);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Samples written so far. */
    public synchronized long samples() {
        return writer.frames();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package org.callibry.softphone.audio;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.callibry.shared.media.Resampler;
import org.callibry.shared.media.WavReader;

/**
 * Plays a 16-bit WAV file (any rate, mono or stereo: mixed to mono and resampled to 8 kHz when
 * loaded) as 20 ms frames; at the end it starts again ({@code loop}) or gives silence.
 */
public final class WavFileSource implements AudioSource {
    private final short[] samples;
    private final boolean loop;
    private int position;

    private WavFileSource(short[] samples, boolean loop) {
        this.samples = samples;
        this.loop = loop;
    }

    /** Loads {@code file} whole; {@code loop} repeats it, otherwise silence follows its end. */
    public static WavFileSource open(Path file, boolean loop) throws IOException {
        WavReader.Wav wav = WavReader.read(file);
        return new WavFileSource(Resampler.resample(wav.mono(), wav.sampleRate(), AudioFrame.SAMPLE_RATE), loop);
    }

    /** Plays 8 kHz {@code samples} already in memory. */
    public static WavFileSource of(short[] samples, boolean loop) {
        return new WavFileSource(samples.clone(), loop);
    }

    /** Has a non-looping source given all its samples? */
    public synchronized boolean finished() {
        return !loop && position >= samples.length;
    }

    @Override
    public synchronized short[] read() {
        short[] frame = AudioFrame.silence();
        if (samples.length == 0) {
            return frame;
        }
        int n = 0;
        while (n < frame.length) {
            if (position >= samples.length) {
                if (!loop) {
                    break;
                }
                position = 0;
            }
            int chunk = Math.min(frame.length - n, samples.length - position);
            System.arraycopy(samples, position, frame, n, chunk);
            n += chunk;
            position += chunk;
        }
        return frame;
    }

    @Override
    public String toString() {
        return "WavFileSource[" + samples.length + " samples, loop=" + loop + ", at " + position + "]";
    }

    short[] samples() {
        return Arrays.copyOf(samples, samples.length);
    }
}

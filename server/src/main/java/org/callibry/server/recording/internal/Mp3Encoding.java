package org.callibry.server.recording.internal;

import de.sciss.jump3r.lowlevel.LameEncoder;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sound.sampled.AudioFormat;
import org.callibry.shared.media.WavReader;

/** WAV to MP3 with jump3r (LAME in pure Java): mono, or joint stereo for two channels; constant bit rate. */
final class Mp3Encoding {
    private Mp3Encoding() {
    }

    /** Encodes {@code wav} into {@code mp3} (replaced); returns the number of frames (samples per channel) encoded. */
    static long encode(Path wav, Path mp3, int kbps) throws IOException {
        try (WavReader reader = WavReader.open(wav);
             OutputStream out = new BufferedOutputStream(Files.newOutputStream(mp3), 1 << 16)) {
            int channels = reader.format().channels();
            AudioFormat format = new AudioFormat(reader.format().sampleRate(), 16, channels, true, false);
            LameEncoder encoder = new LameEncoder(format, kbps,
                    channels == 1 ? LameEncoder.CHANNEL_MODE_MONO : LameEncoder.CHANNEL_MODE_JOINT_STEREO,
                    LameEncoder.QUALITY_MIDDLE, false);
            try {
                byte[] pcm = new byte[encoder.getPCMBufferSize() / (2 * channels) * (2 * channels)];
                byte[] encoded = new byte[encoder.getMP3BufferSize()];
                short[] samples = new short[pcm.length / 2];
                long frames = 0;
                int n;
                while ((n = reader.read(samples, 0, samples.length / channels)) > 0) {
                    int count = n * channels;
                    for (int i = 0; i < count; i++) {
                        pcm[2 * i] = (byte) samples[i];
                        pcm[2 * i + 1] = (byte) (samples[i] >> 8);
                    }
                    out.write(encoded, 0, encoder.encodeBuffer(pcm, 0, 2 * count, encoded));
                    frames += n;
                }
                out.write(encoded, 0, encoder.encodeFinish(encoded));
                return frames;
            } finally {
                encoder.close();
            }
        }
    }
}

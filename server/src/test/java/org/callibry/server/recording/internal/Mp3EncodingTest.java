package org.callibry.server.recording.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.callibry.shared.media.Tones;
import org.callibry.shared.media.WavReader;
import org.callibry.shared.media.WavWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WAV to MP3: mono and stereo 8 kHz give MPEG-2.5 layer III of the WAV's duration at the bit rate asked. */
class Mp3EncodingTest {
    @TempDir
    Path tmp;

    @Test
    void encodesMonoAndStereoOfTheRightDuration() throws Exception {
        for (int channels = 1; channels <= 2; channels++) {
            Path wav = tmp.resolve(channels + ".wav");
            short[] tone = Tones.sine(440, 8000, 8000, 5 * 8000);
            try (WavWriter w = new WavWriter(wav, 8000, channels)) {
                short[] frame = new short[tone.length * channels];
                for (int i = 0; i < tone.length; i++) {
                    for (int c = 0; c < channels; c++) {
                        frame[i * channels + c] = tone[i];
                    }
                }
                w.write(frame);
            }
            Path mp3 = tmp.resolve(channels + ".mp3");
            assertThat(Mp3Encoding.encode(wav, mp3, 32)).isEqualTo(5 * 8000);
            Mp3Frames.Info info = Mp3Frames.scan(Files.readAllBytes(mp3));
            assertThat(info.sampleRate()).isEqualTo(8000);
            assertThat(info.channels()).isEqualTo(channels);
            assertThat(info.bitrateKbps()).isEqualTo(32);
            // encoder delay and padding add up to two frames (72 ms each)
            assertThat(info.durationMillis()).isBetween(5000L, 5300L);
            // 32 kbit/s for 5 s is 20 kB
            assertThat(Files.size(mp3)).isBetween(19_000L, 22_000L);
        }
    }

    @Test
    void refusesAWavItCannotRead() throws Exception {
        Path bad = Files.writeString(tmp.resolve("bad.wav"), "nonsense");
        assertThatThrownBy(() -> Mp3Encoding.encode(bad, tmp.resolve("bad.mp3"), 32))
                .isInstanceOf(WavReader.InvalidWavException.class);
    }
}

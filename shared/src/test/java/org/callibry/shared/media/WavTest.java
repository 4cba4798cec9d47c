package org.callibry.shared.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WAV files on bytes: the writer's header, mono and stereo round trips at several rates, a file read
 * while still open (cut short), extra chunks, and every refused format with its reason.
 */
class WavTest {
    @TempDir
    Path tmp;

    @Test
    void writesTheCanonicalHeader() throws IOException {
        Path f = tmp.resolve("a.wav");
        try (WavWriter w = new WavWriter(f, 8000, 1)) {
            w.write(new short[]{1, -2, 0x1234});
        }
        byte[] b = Files.readAllBytes(f);
        assertThat(b).hasSize(44 + 6);
        ByteBuffer h = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new String(b, 0, 4)).isEqualTo("RIFF");
        assertThat(h.getInt(4)).isEqualTo(36 + 6);
        assertThat(new String(b, 8, 8)).isEqualTo("WAVEfmt ");
        assertThat(h.getInt(16)).isEqualTo(16);
        assertThat(h.getShort(20)).isEqualTo((short) 1);
        assertThat(h.getShort(22)).isEqualTo((short) 1);
        assertThat(h.getInt(24)).isEqualTo(8000);
        assertThat(h.getInt(28)).isEqualTo(16000);
        assertThat(h.getShort(32)).isEqualTo((short) 2);
        assertThat(h.getShort(34)).isEqualTo((short) 16);
        assertThat(new String(b, 36, 4)).isEqualTo("data");
        assertThat(h.getInt(40)).isEqualTo(6);
        assertThat(Arrays.copyOfRange(b, 44, 50)).containsExactly(1, 0, 0xFE, 0xFF, 0x34, 0x12);
    }

    @Test
    void roundTripsMonoAndStereoAtAnyRate() throws IOException {
        for (int rate : new int[]{8000, 16000, 22050, 44100, 48000}) {
            for (int channels = 1; channels <= 2; channels++) {
                short[] samples = new short[rate / 10 * channels];
                for (int i = 0; i < samples.length; i++) {
                    samples[i] = (short) (i * 37);
                }
                Path f = tmp.resolve(rate + "-" + channels + ".wav");
                int half = samples.length / 2 / channels * channels;
                try (WavWriter w = new WavWriter(f, rate, channels)) {
                    w.write(samples, 0, half);
                    w.flush();
                    w.write(samples, half, samples.length - half);
                    assertThat(w.frames()).isEqualTo(rate / 10);
                }
                WavReader.Wav wav = WavReader.read(f);
                assertThat(wav.sampleRate()).isEqualTo(rate);
                assertThat(wav.channels()).isEqualTo(channels);
                assertThat(wav.samples()).isEqualTo(samples);
                assertThat(wav.durationMillis()).isEqualTo(100);
            }
        }
    }

    @Test
    void aFileStillBeingWrittenIsReadableUpToTheLastFlush() throws IOException {
        Path f = tmp.resolve("live.wav");
        WavWriter w = new WavWriter(f, 8000, 2);
        w.write(new short[]{1, 2, 3, 4});
        w.flush();
        w.write(new short[]{5, 6});
        // as if the process died now: the unflushed frame is lost, the rest is readable
        assertThat(WavReader.read(f).samples()).containsExactly(1, 2, 3, 4);
        w.close();
        assertThat(WavReader.read(f).samples()).containsExactly(1, 2, 3, 4, 5, 6);
    }

    @Test
    void aFileCutShortOrWithoutSizesIsReadToItsLastWholeFrame() throws IOException {
        Path f = tmp.resolve("cut.wav");
        try (WavWriter w = new WavWriter(f, 8000, 2)) {
            w.write(new short[]{1, 2, 3, 4, 5, 6});
        }
        byte[] b = Files.readAllBytes(f);
        Path cut = Files.write(tmp.resolve("cut2.wav"), Arrays.copyOf(b, b.length - 3));
        assertThat(WavReader.read(cut).samples()).containsExactly(1, 2, 3, 4);
        byte[] noSize = b.clone();
        noSize[40] = noSize[41] = noSize[42] = noSize[43] = 0;
        assertThat(WavReader.read(noSize).samples()).containsExactly(1, 2, 3, 4, 5, 6);
    }

    @Test
    void skipsUnknownChunksAndReadsExtensiblePcm() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(200).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(0).put("WAVE".getBytes());
        b.put("LIST".getBytes()).putInt(3).put(new byte[]{1, 2, 3, 0});
        b.put("fmt ".getBytes()).putInt(40).putShort((short) 0xFFFE).putShort((short) 1).putInt(16000).putInt(32000)
                .putShort((short) 2).putShort((short) 16).putShort((short) 22).putShort((short) 16).putInt(4)
                .putShort((short) 1).put(new byte[14]);
        b.put("data".getBytes()).putInt(4).putShort((short) 7).putShort((short) -7);
        WavReader.Wav wav = WavReader.read(Arrays.copyOf(b.array(), b.position()));
        assertThat(wav.sampleRate()).isEqualTo(16000);
        assertThat(wav.samples()).containsExactly(7, -7);
    }

    @Test
    void refusesWhatItCannotReadAndSaysWhy() {
        assertThatThrownBy(() -> WavReader.read("hello world, not a wav".getBytes()))
                .isInstanceOf(WavReader.InvalidWavException.class).hasMessageContaining("RIFF/WAVE");
        assertThatThrownBy(() -> WavReader.read(header(1, 1, 8000, 8))).hasMessageContaining("8-bit");
        assertThatThrownBy(() -> WavReader.read(header(1, 1, 8000, 24))).hasMessageContaining("24-bit");
        assertThatThrownBy(() -> WavReader.read(header(3, 1, 8000, 32))).hasMessageContaining("IEEE float");
        assertThatThrownBy(() -> WavReader.read(header(7, 1, 8000, 8))).hasMessageContaining("µ-law");
        assertThatThrownBy(() -> WavReader.read(header(1, 6, 8000, 16))).hasMessageContaining("6 channels");
        assertThatThrownBy(() -> WavReader.read(Arrays.copyOf(header(1, 1, 8000, 16), 30)))
                .isInstanceOf(WavReader.InvalidWavException.class).hasMessageContaining("ends inside");
        assertThatThrownBy(() -> WavReader.read("RIFF\0\0\0\0WAVEjunkjunkjunk".getBytes()))
                .isInstanceOf(WavReader.InvalidWavException.class);
    }

    private static byte[] header(int format, int channels, int rate, int bits) {
        int align = channels * bits / 8;
        ByteBuffer b = ByteBuffer.allocate(48).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(40).put("WAVE".getBytes()).put("fmt ".getBytes()).putInt(16)
                .putShort((short) format).putShort((short) channels).putInt(rate).putInt(rate * align)
                .putShort((short) align).putShort((short) bits).put("data".getBytes()).putInt(4).putInt(0);
        return b.array();
    }
}

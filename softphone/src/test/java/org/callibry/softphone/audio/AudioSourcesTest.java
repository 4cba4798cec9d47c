package org.callibry.softphone.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.callibry.shared.media.Goertzel;
import org.callibry.shared.media.Tones;
import org.callibry.shared.media.WavReader;
import org.callibry.shared.media.WavWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenarios: WAV source looping or padding with silence, a 16 kHz stereo file converted to 8 kHz
 * mono, WAV sink round trip, tone and silence sources, the level meter, the stream resampler.
 */
class AudioSourcesTest {
    @TempDir
    Path dir;

    @Test
    void wavSourcePadsWithSilenceOrLoops() {
        short[] samples = new short[200];
        java.util.Arrays.fill(samples, (short) 5);
        WavFileSource once = WavFileSource.of(samples, false);
        assertThat(once.read()).containsOnly((short) 5);
        short[] second = once.read();
        assertThat(second[39]).isEqualTo((short) 5);
        assertThat(second[40]).isZero();
        assertThat(once.finished()).isTrue();
        assertThat(once.read()).containsOnly((short) 0);

        WavFileSource loop = WavFileSource.of(samples, true);
        loop.read();
        assertThat(loop.read()).containsOnly((short) 5);
        assertThat(loop.finished()).isFalse();
    }

    @Test
    void wavSourceConvertsStereo16kHzTo8kHzMono() throws Exception {
        Path file = dir.resolve("in.wav");
        short[] mono = Tones.sine(1000, 8000, 16000, 16000);
        short[] stereo = new short[mono.length * 2];
        for (int i = 0; i < mono.length; i++) {
            stereo[2 * i] = mono[i];
            stereo[2 * i + 1] = mono[i];
        }
        try (WavWriter w = new WavWriter(file, 16000, 2)) {
            w.write(stereo);
        }
        WavFileSource source = WavFileSource.open(file, false);
        assertThat(source.samples()).hasSize(8000);
        short[] frame = source.read();
        source.read();
        assertThat(Goertzel.share(source.read(), 0, 160, 8000, 1000)).isGreaterThan(0.9);
        assertThat(frame).hasSize(AudioFrame.SAMPLES);
    }

    @Test
    void wavSinkWritesAn8kHzMonoFile() throws Exception {
        Path file = dir.resolve("out.wav");
        try (WavFileSink sink = new WavFileSink(file)) {
            ToneSource tone = new ToneSource(10000, 440);
            for (int i = 0; i < 50; i++) {
                sink.write(tone.read());
            }
            assertThat(sink.samples()).isEqualTo(8000);
        }
        WavReader.Wav wav = WavReader.read(file);
        assertThat(wav.sampleRate()).isEqualTo(8000);
        assertThat(wav.channels()).isEqualTo(1);
        assertThat(Goertzel.share(wav.samples(), 0, 8000, 8000, 440)).isGreaterThan(0.95);
    }

    @Test
    void toneSourceIsContinuousAcrossFrames() {
        ToneSource tone = new ToneSource(10000, 1000);
        short[] a = tone.read();
        short[] b = tone.read();
        short[] joined = new short[320];
        System.arraycopy(a, 0, joined, 0, 160);
        System.arraycopy(b, 0, joined, 160, 160);
        assertThat(joined).isEqualTo(Tones.sine(1000, 10000, 8000, 320));
        assertThat(new SilenceSource().read()).containsOnly((short) 0).hasSize(160);
    }

    @Test
    void levelMeterMeasuresRmsAndPeak() {
        LevelMeter meter = new LevelMeter();
        meter.update(Tones.sine(1000, 10000, 8000, 160));
        assertThat(meter.rms()).isCloseTo(7071, org.assertj.core.data.Offset.offset(50.0));
        assertThat(meter.peak()).isBetween(9990, 10000);
        assertThat(meter.dbfs()).isCloseTo(-13.3, org.assertj.core.data.Offset.offset(0.2));
        assertThat(meter.level()).isBetween(0.2, 0.23);
        meter.update(AudioFrame.silence());
        assertThat(meter.level()).isZero();
        assertThat(meter.dbfs()).isLessThan(-90);
    }

    @Test
    void streamResamplerConvertsBlockByBlockWithoutLosingTheTone() {
        StreamResampler down = new StreamResampler(48000, 8000);
        short[] in = Tones.sine(1000, 10000, 48000, 48000);
        short[] out = new short[9000];
        int n = 0;
        for (int at = 0; at < in.length; at += 960) {
            short[] block = down.process(java.util.Arrays.copyOfRange(in, at, at + 960), 960);
            System.arraycopy(block, 0, out, n, block.length);
            n += block.length;
        }
        assertThat(n).isBetween(7999, 8001);
        assertThat(Goertzel.share(out, 800, 4000, 8000, 1000)).isGreaterThan(0.9);

        StreamResampler up = new StreamResampler(8000, 44100);
        short[] tone = Tones.sine(440, 10000, 8000, 8000);
        int total = 0;
        short[] upOut = new short[50000];
        for (int at = 0; at < tone.length; at += 160) {
            short[] block = up.process(java.util.Arrays.copyOfRange(tone, at, at + 160), 160);
            System.arraycopy(block, 0, upOut, total, block.length);
            total += block.length;
        }
        assertThat(total).isBetween(44090, 44110);
        assertThat(Goertzel.share(upOut, 4410, 22050, 44100, 440)).isGreaterThan(0.9);
    }
}

package org.callibry.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/** Test audio: tone files for phones to send, and which tone a received file carries. */
public final class Audio {
    private Audio() {
    }

    /** Writes {@code seconds} of a sine at {@code hz}, 8 kHz 16-bit mono. */
    public static Path tone(Path file, int hz, int seconds) throws IOException {
        int samples = 8000 * seconds;
        ByteBuffer pcm = ByteBuffer.allocate(samples * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < samples; i++) {
            pcm.putShort((short) (9000 * Math.sin(2 * Math.PI * hz * i / 8000.0)));
        }
        AudioFormat format = new AudioFormat(8000, 16, 1, true, false);
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(pcm.array()), format, samples)) {
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, file.toFile());
        }
        return file;
    }

    /** Which of the two frequencies carries more energy in the file (Goertzel over all samples). */
    public static int dominant(Path wav, int f1, int f2) throws Exception {
        assertThat(wav).as("received audio written").exists();
        try (AudioInputStream in = AudioSystem.getAudioInputStream(wav.toFile())) {
            AudioFormat f = in.getFormat();
            byte[] data = in.readAllBytes();
            int channels = f.getChannels();
            int frames = data.length / (2 * channels);
            assertThat(frames).as("received audio is not empty").isGreaterThan((int) f.getSampleRate());
            double[] x = new double[frames];
            ByteBuffer bb = ByteBuffer.wrap(data).order(f.isBigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < frames; i++) {
                x[i] = bb.getShort(i * 2 * channels);
            }
            double p1 = goertzel(x, f1, f.getSampleRate());
            double p2 = goertzel(x, f2, f.getSampleRate());
            return p1 > p2 * 10 ? f1 : p2 > p1 * 10 ? f2 : -1;
        }
    }

    private static double goertzel(double[] x, double hz, double rate) {
        double coeff = 2 * Math.cos(2 * Math.PI * hz / rate);
        double s1 = 0;
        double s2 = 0;
        for (double v : x) {
            double s = v + coeff * s1 - s2;
            s2 = s1;
            s1 = s;
        }
        return s1 * s1 + s2 * s2 - coeff * s1 * s2;
    }


    /** Decodes an MP3 (JLayer) to 8 kHz mono: channels averaged, other rates resampled. */
    public static short[] mp3ToMono(byte[] mp3) throws Exception {
        javazoom.jl.decoder.Bitstream bits = new javazoom.jl.decoder.Bitstream(new ByteArrayInputStream(mp3));
        javazoom.jl.decoder.Decoder decoder = new javazoom.jl.decoder.Decoder();
        java.io.ByteArrayOutputStream pcm = new java.io.ByteArrayOutputStream();
        int rate = 8000;
        javazoom.jl.decoder.Header h;
        while ((h = bits.readFrame()) != null) {
            javazoom.jl.decoder.SampleBuffer out = (javazoom.jl.decoder.SampleBuffer) decoder.decodeFrame(h, bits);
            int channels = decoder.getOutputChannels();
            rate = decoder.getOutputFrequency();
            short[] b = out.getBuffer();
            for (int i = 0; i + channels - 1 < out.getBufferLength(); i += channels) {
                int sum = 0;
                for (int c = 0; c < channels; c++) {
                    sum += b[i + c];
                }
                short v = (short) (sum / channels);
                pcm.write(v & 0xff);
                pcm.write((v >> 8) & 0xff);
            }
            bits.closeFrame();
        }
        byte[] raw = pcm.toByteArray();
        short[] samples = new short[raw.length / 2];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(samples);
        return rate == 8000 ? samples : org.callibry.shared.media.Resampler.resample(samples, rate, 8000);
    }
}

package org.callibry.server.directory.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javazoom.jl.decoder.Bitstream;
import javazoom.jl.decoder.BitstreamException;
import javazoom.jl.decoder.Decoder;
import javazoom.jl.decoder.DecoderException;
import javazoom.jl.decoder.Header;
import javazoom.jl.decoder.SampleBuffer;

/**
 * MP3 (MPEG-1/2/2.5 audio layer I-III) to mono 16-bit PCM at the file's own sample rate, with JLayer.
 * Stereo is mixed down frame by frame, so memory holds one channel only. A file that is not MPEG
 * audio, is cut or damaged past use, changes its sample rate midway or lasts longer than
 * {@link #MAX_SECONDS} is refused with an {@link InvalidMp3Exception} saying which.
 */
final class Mp3Decoder {
    /** Prompts and music on hold are minutes long; this bounds the memory one upload can take. */
    static final int MAX_SECONDS = 15 * 60;

    /** The decoded audio: mono samples at {@code sampleRate}. */
    record Mono(int sampleRate, short[] samples) {
    }

    /** The file cannot be decoded; the message says why. */
    static final class InvalidMp3Exception extends IOException {
        InvalidMp3Exception(String message) {
            super(message);
        }
    }

    private Mp3Decoder() {
    }

    static Mono decode(Path file) throws IOException {
        long size = Files.size(file);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return decode(in, size);
        }
    }

    private static Mono decode(InputStream in, long size) throws IOException {
        Bitstream bits = new Bitstream(in);
        try (InputStream tag = bits.getRawID3v2()) {
            if (tag != null) {
                size -= tag.available(); // an ID3v2 tag (cover art...) is not audio, but not garbage either
            }
        }
        Decoder decoder = new Decoder();
        short[] out = new short[1 << 16];
        int count = 0;
        int rate = 0;
        long frames = 0;
        long frameBytes = 0;
        try {
            Header header;
            while ((header = bits.readFrame()) != null) {
                SampleBuffer buffer = (SampleBuffer) decoder.decodeFrame(header, bits);
                int frequency = header.frequency();
                if (rate == 0) {
                    rate = frequency;
                } else if (frequency != rate) {
                    throw new InvalidMp3Exception("an MP3 file whose sample rate changes from " + rate + " Hz to "
                            + frequency + " Hz");
                }
                frames++;
                frameBytes += header.framesize + 4; // JLayer's frame size leaves out the 4-byte header
                int channels = buffer.getChannelCount();
                short[] pcm = buffer.getBuffer();
                int samples = buffer.getBufferLength() / channels; // the buffer is interleaved
                if ((long) count + samples > (long) MAX_SECONDS * rate) {
                    throw new InvalidMp3Exception("an MP3 file longer than " + MAX_SECONDS / 60 + " minutes");
                }
                if (count + samples > out.length) {
                    out = Arrays.copyOf(out, Math.max(out.length * 2, count + samples));
                }
                for (int i = 0; i < samples; i++) {
                    out[count++] = channels == 1 ? pcm[i] : (short) ((pcm[2 * i] + pcm[2 * i + 1]) / 2);
                }
                bits.closeFrame();
            }
        } catch (BitstreamException | DecoderException e) {
            throw new InvalidMp3Exception("an MP3 file that cannot be decoded after " + frames + " audio frames ("
                    + e.getMessage() + ")");
        } catch (RuntimeException e) {
            // JLayer indexes its tables with values read from the file: damaged frames end up here
            throw new InvalidMp3Exception("a damaged MP3 file: decoding failed after " + frames + " audio frames");
        } finally {
            try {
                bits.close();
            } catch (BitstreamException ignored) {
                // the stream is closed by the caller
            }
        }
        if (frames == 0 || count == 0) {
            throw new InvalidMp3Exception("a file named or tagged as MP3 without any MPEG audio frame");
        }
        // a few bytes that happen to look like a frame header decode as noise: real MP3 is frames end to end
        if (frameBytes < size / 2) {
            throw new InvalidMp3Exception("a file that is mostly not MPEG audio (" + frameBytes + " of " + size
                    + " bytes are audio frames)");
        }
        return new Mono(rate, Arrays.copyOf(out, count));
    }
}

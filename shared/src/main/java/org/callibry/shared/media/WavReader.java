package org.callibry.shared.media;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads 16-bit PCM RIFF/WAVE files (mono or stereo, any sample rate), streaming. Anything else (8-
 * or 24-bit, float, A-law/µ-law WAV, more than two channels, a broken header) is refused with an
 * {@link InvalidWavException} that says what is wrong. A file cut short, or one whose data size was
 * never written (0 or beyond the end), is read up to its last whole frame.
 */
public final class WavReader implements Closeable {
    private static final int WAVE_FORMAT_PCM = 1;
    private static final int WAVE_FORMAT_EXTENSIBLE = 0xFFFE;

    /** The format of a WAV file's samples. */
    public record Format(int sampleRate, int channels) {
    }

    /** A whole file in memory: {@code samples} interleaved when stereo. */
    public record Wav(int sampleRate, int channels, short[] samples) {
        public int frames() {
            return samples.length / channels;
        }

        public long durationMillis() {
            return frames() * 1000L / sampleRate;
        }

        /** One channel's samples (0 left, 1 right). */
        public short[] channel(int index) {
            short[] out = new short[frames()];
            for (int i = 0; i < out.length; i++) {
                out[i] = samples[i * channels + index];
            }
            return out;
        }

        /** The channels mixed to one (the average of left and right). */
        public short[] mono() {
            if (channels == 1) {
                return samples;
            }
            short[] out = new short[frames()];
            for (int i = 0; i < out.length; i++) {
                out[i] = (short) ((samples[2 * i] + samples[2 * i + 1]) / 2);
            }
            return out;
        }
    }

    /** The file is not a WAV this reader can read; the message says why. */
    public static final class InvalidWavException extends IOException {
        public InvalidWavException(String message) {
            super(message);
        }
    }

    private final InputStream in;
    private final Format format;
    /** Bytes of sample data left, or -1 when the header does not say (read to the end). */
    private long remaining;
    private final byte[] frameBytes;

    private WavReader(InputStream in) throws IOException {
        this.in = in;
        byte[] riff = readExactly(12, "the RIFF header");
        if (!ascii(riff, 0).equals("RIFF") || !ascii(riff, 8).equals("WAVE")) {
            throw new InvalidWavException("not a WAV file: no RIFF/WAVE header");
        }
        Format f = null;
        while (true) {
            byte[] chunk = readChunkHeader();
            if (chunk == null) {
                throw new InvalidWavException(f == null ? "no fmt chunk" : "no data chunk");
            }
            String id = ascii(chunk, 0);
            long size = le32(chunk, 4);
            if (id.equals("fmt ")) {
                if (size < 16 || size > 1024) {
                    throw new InvalidWavException("fmt chunk of " + size + " bytes");
                }
                byte[] fmt = readExactly((int) size, "the fmt chunk");
                skip(size & 1);
                f = parseFormat(fmt);
            } else if (id.equals("data")) {
                if (f == null) {
                    throw new InvalidWavException("the data chunk comes before the fmt chunk");
                }
                // 0 or 0xFFFFFFFF: written by a recorder that did not finish (or streams); read to the end
                remaining = size == 0 || size == 0xFFFF_FFFFL ? -1 : size;
                break;
            } else {
                skip(size + (size & 1));
            }
        }
        this.format = f;
        this.frameBytes = new byte[2 * f.channels()];
    }

    /** Opens {@code file} and reads its header. */
    public static WavReader open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        try {
            return new WavReader(in);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** Reads the header from {@code in}; closing the reader closes the stream. */
    public static WavReader open(InputStream in) throws IOException {
        return new WavReader(in instanceof BufferedInputStream ? in : new BufferedInputStream(in, 1 << 16));
    }

    /** The whole file. */
    public static Wav read(Path file) throws IOException {
        try (WavReader r = open(file)) {
            return r.readAll();
        }
    }

    /** A whole file held in memory. */
    public static Wav read(byte[] file) throws IOException {
        try (WavReader r = open(new ByteArrayInputStream(file))) {
            return r.readAll();
        }
    }

    public Format format() {
        return format;
    }

    /**
     * Reads up to {@code frames} frames into {@code out} (interleaved when stereo) from
     * {@code out[offset]}; returns the frames read, or -1 at the end of the data.
     */
    public int read(short[] out, int offset, int frames) throws IOException {
        int channels = format.channels();
        int n = 0;
        while (n < frames) {
            if (remaining == 0) {
                break;
            }
            int got = in.readNBytes(frameBytes, 0, frameBytes.length);
            if (got < frameBytes.length) {
                // the file ends inside the data chunk or mid-frame: a cut-short file, keep the whole frames
                remaining = 0;
                break;
            }
            if (remaining > 0) {
                remaining = Math.max(0, remaining - frameBytes.length);
            }
            for (int c = 0; c < channels; c++) {
                out[offset + n * channels + c] = (short) ((frameBytes[2 * c] & 0xFF) | (frameBytes[2 * c + 1] << 8));
            }
            n++;
        }
        return n == 0 && frames > 0 ? -1 : n;
    }

    /** Every remaining frame. */
    public Wav readAll() throws IOException {
        int channels = format.channels();
        short[] buf = new short[8192 * channels];
        int size = 0;
        while (true) {
            if (buf.length - size < 4096 * channels) {
                buf = java.util.Arrays.copyOf(buf, buf.length * 2);
            }
            int n = read(buf, size, (buf.length - size) / channels);
            if (n < 0) {
                break;
            }
            size += n * channels;
        }
        return new Wav(format.sampleRate(), channels, java.util.Arrays.copyOf(buf, size));
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private static Format parseFormat(byte[] fmt) throws InvalidWavException {
        int tag = le16(fmt, 0);
        int channels = le16(fmt, 2);
        long rate = le32(fmt, 4);
        int blockAlign = le16(fmt, 12);
        int bits = le16(fmt, 14);
        if (tag == WAVE_FORMAT_EXTENSIBLE && fmt.length >= 26) {
            // the sub-format GUID begins with the format code it stands for
            tag = le16(fmt, 24);
        }
        if (tag != WAVE_FORMAT_PCM) {
            throw new InvalidWavException("only PCM WAV files can be read, this one has format " + switch (tag) {
                case 3 -> "IEEE float";
                case 6 -> "A-law";
                case 7 -> "µ-law";
                case 0x55 -> "MPEG layer 3";
                default -> "code " + tag;
            });
        }
        if (bits != 16) {
            throw new InvalidWavException(bits + "-bit samples are not supported, only 16-bit PCM");
        }
        if (channels < 1 || channels > 2) {
            throw new InvalidWavException(channels + " channels are not supported, only mono or stereo");
        }
        if (rate < 1000 || rate > 384_000) {
            throw new InvalidWavException("sample rate " + rate + " Hz is out of range");
        }
        if (blockAlign != channels * 2) {
            throw new InvalidWavException("block align " + blockAlign + " does not match " + channels + " channels of 16 bits");
        }
        return new Format((int) rate, channels);
    }

    private byte[] readChunkHeader() throws IOException {
        byte[] h = in.readNBytes(8);
        if (h.length == 0) {
            return null;
        }
        if (h.length < 8) {
            throw new InvalidWavException("the file ends inside a chunk header");
        }
        return h;
    }

    private byte[] readExactly(int n, String what) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw new InvalidWavException("the file ends inside " + what);
        }
        return b;
    }

    private void skip(long n) throws IOException {
        try {
            in.skipNBytes(n);
        } catch (EOFException e) {
            throw new InvalidWavException("the file ends inside a chunk");
        }
    }

    private static String ascii(byte[] b, int offset) {
        return new String(b, offset, 4, StandardCharsets.US_ASCII);
    }

    private static int le16(byte[] b, int offset) {
        return (b[offset] & 0xFF) | (b[offset + 1] & 0xFF) << 8;
    }

    private static long le32(byte[] b, int offset) {
        return (b[offset] & 0xFFL) | (b[offset + 1] & 0xFFL) << 8 | (b[offset + 2] & 0xFFL) << 16 | (b[offset + 3] & 0xFFL) << 24;
    }
}

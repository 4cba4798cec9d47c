package org.callibry.shared.media;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Streams 16-bit PCM samples (mono, or interleaved stereo) into a RIFF/WAVE file at any sample rate.
 * The header's sizes are rewritten every time the buffer reaches the disk ({@link #flush}), so a
 * process that dies mid-recording leaves a file every reader accepts, holding what was flushed.
 * Not thread-safe: one writer thread.
 */
public final class WavWriter implements Closeable {
    /** The canonical 44-byte header: RIFF, fmt (16 bytes of PCM format), data. */
    public static final int HEADER_SIZE = 44;
    private static final int BUFFER_BYTES = 32 * 1024;

    private final FileChannel channel;
    private final int channels;
    private final int sampleRate;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private final ByteBuffer sizes = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
    private long dataBytes;
    private long written;
    private boolean closed;

    /** Creates (or truncates) {@code file} and writes the header of an empty file. */
    public WavWriter(Path file, int sampleRate, int channels) throws IOException {
        if (channels < 1 || channels > 2) {
            throw new IllegalArgumentException("1 or 2 channels, not " + channels);
        }
        if (sampleRate < 1) {
            throw new IllegalArgumentException("sample rate must be positive: " + sampleRate);
        }
        this.channels = channels;
        this.sampleRate = sampleRate;
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        try {
            ByteBuffer header = header(sampleRate, channels, 0);
            while (header.hasRemaining()) {
                channel.write(header);
            }
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    /** The 44-byte header of a 16-bit PCM file with {@code dataBytes} of samples. */
    public static ByteBuffer header(int sampleRate, int channels, long dataBytes) {
        ByteBuffer h = ByteBuffer.allocate(HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        int blockAlign = channels * 2;
        h.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt((int) (36 + dataBytes))
                .put("WAVE".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .put("fmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16)
                .putShort((short) 1).putShort((short) channels).putInt(sampleRate).putInt(sampleRate * blockAlign)
                .putShort((short) blockAlign).putShort((short) 16)
                .put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt((int) dataBytes);
        return h.flip();
    }

    /** Appends {@code length} samples (interleaved when stereo) from {@code samples[offset]}. */
    public void write(short[] samples, int offset, int length) throws IOException {
        ensureOpen();
        if (length % channels != 0) {
            throw new IllegalArgumentException("a whole number of frames: " + length + " samples for " + channels + " channels");
        }
        for (int i = 0; i < length; i++) {
            if (!buffer.hasRemaining()) {
                flush();
            }
            buffer.putShort(samples[offset + i]);
        }
        dataBytes += 2L * length;
    }

    /** Appends every sample of {@code samples}. */
    public void write(short[] samples) throws IOException {
        write(samples, 0, samples.length);
    }

    /** Writes the buffered samples and then the header's sizes, so the file is complete as it stands. */
    public void flush() throws IOException {
        ensureOpen();
        buffer.flip();
        while (buffer.hasRemaining()) {
            written += channel.write(buffer, HEADER_SIZE + written);
        }
        buffer.clear();
        // RIFF chunk size at offset 4, data chunk size at 40; a file over 4 GiB cannot be described, the sizes saturate
        patch(4, Math.min(0xFFFF_FFFFL, 36 + written));
        patch(40, Math.min(0xFFFF_FFFFL, written));
    }

    private void patch(long position, long value) throws IOException {
        sizes.clear();
        sizes.putInt((int) value).flip();
        while (sizes.hasRemaining()) {
            channel.write(sizes, position + sizes.position());
        }
    }

    /** Frames (samples per channel) written so far, buffered ones included. */
    public long frames() {
        return dataBytes / (2L * channels);
    }

    public int channels() {
        return channels;
    }

    public int sampleRate() {
        return sampleRate;
    }

    /** Flushes and closes; closing again does nothing. The file is closed even when the flush fails. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            flush();
        } finally {
            closed = true;
            channel.close();
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("the WAV writer is closed");
        }
    }
}

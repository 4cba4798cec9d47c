package org.callibry.softphone.audio;

import java.lang.System.Logger.Level;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.TargetDataLine;

/**
 * A microphone (javax.sound {@link TargetDataLine}) as an {@link AudioSource}. A capture thread
 * reads the line in 20 ms blocks, converts them to 8 kHz when the device runs at another rate and
 * queues them; {@link #read()} never waits: it gives silence when the device is behind and drops the
 * oldest audio when more than {@link #MAX_QUEUED_FRAMES} frames pile up (the device clock and the
 * session clock drift apart slowly).
 */
public final class DeviceSource implements AudioSource {
    private static final System.Logger LOG = System.getLogger(DeviceSource.class.getName());
    static final int MAX_QUEUED_FRAMES = 4;

    private final TargetDataLine line;
    private final StreamResampler resampler;
    private final LevelMeter meter = new LevelMeter();
    private final short[] fifo = new short[AudioFrame.SAMPLES * (MAX_QUEUED_FRAMES + 2)];
    private final Thread thread;
    private int fifoStart;
    private int fifoSize;
    private volatile boolean running = true;
    private long underruns;
    private long overruns;

    /** Wraps an open line; {@link #start()} starts capturing. */
    DeviceSource(TargetDataLine line) {
        this.line = line;
        int rate = Math.round(line.getFormat().getSampleRate());
        this.resampler = rate == AudioFrame.SAMPLE_RATE ? null : new StreamResampler(rate, AudioFrame.SAMPLE_RATE);
        this.thread = Thread.ofPlatform().name("microphone").daemon().unstarted(this::capture);
    }

    /** Opens {@code device}'s microphone, or the system default one when {@code device} is null. */
    public static DeviceSource open(AudioDevice device) throws LineUnavailableException {
        TargetDataLine line = AudioDevices.open(TargetDataLine.class, device, 200);
        DeviceSource source = new DeviceSource(line);
        source.start();
        return source;
    }

    void start() {
        line.start();
        thread.start();
    }

    /** The level of the last frame read, for the settings view's meter. */
    public LevelMeter meter() {
        return meter;
    }

    /** The rate the device captures at (8000 when no conversion is needed). */
    public int deviceRate() {
        return Math.round(line.getFormat().getSampleRate());
    }

    private void capture() {
        int rate = deviceRate();
        int blockSamples = rate * AudioFrame.MILLIS / 1000;
        byte[] bytes = new byte[blockSamples * 2];
        short[] block = new short[blockSamples];
        while (running) {
            int n = line.read(bytes, 0, bytes.length);
            if (n <= 0) {
                if (!line.isOpen()) {
                    break;
                }
                continue;
            }
            int samples = n / 2;
            for (int i = 0; i < samples; i++) {
                block[i] = (short) ((bytes[2 * i] & 0xFF) | (bytes[2 * i + 1] << 8));
            }
            short[] pcm = resampler == null ? java.util.Arrays.copyOf(block, samples) : resampler.process(block, samples);
            push(pcm);
        }
    }

    private synchronized void push(short[] pcm) {
        for (short s : pcm) {
            if (fifoSize == fifo.length) {
                // the reader is behind: forget the oldest frame rather than grow the delay
                fifoStart = (fifoStart + AudioFrame.SAMPLES) % fifo.length;
                fifoSize -= AudioFrame.SAMPLES;
                overruns++;
            }
            fifo[(fifoStart + fifoSize) % fifo.length] = s;
            fifoSize++;
        }
    }

    @Override
    public synchronized short[] read() {
        short[] frame = AudioFrame.silence();
        if (fifoSize < AudioFrame.SAMPLES) {
            underruns++;
        } else {
            for (int i = 0; i < frame.length; i++) {
                frame[i] = fifo[(fifoStart + i) % fifo.length];
            }
            fifoStart = (fifoStart + AudioFrame.SAMPLES) % fifo.length;
            fifoSize -= AudioFrame.SAMPLES;
        }
        meter.update(frame);
        return frame;
    }

    /** Frames given as silence because the device had not delivered yet. */
    public synchronized long underruns() {
        return underruns;
    }

    /** Frames dropped because nobody read them in time. */
    public synchronized long overruns() {
        return overruns;
    }

    @Override
    public void close() {
        running = false;
        try {
            line.stop();
            line.close();
            thread.join(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "closing the microphone: {0}", e.toString());
        }
    }
}

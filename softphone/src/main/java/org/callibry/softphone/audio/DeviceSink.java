package org.callibry.softphone.audio;

import java.lang.System.Logger.Level;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.SourceDataLine;

/**
 * A speaker (javax.sound {@link SourceDataLine}) as an {@link AudioSink}. Frames are converted to
 * the device rate when it cannot play 8 kHz; {@link #write} never blocks: when the device buffer is
 * full (its clock is slower than ours) the frame is dropped. Two frames of silence are queued at
 * the start so the first late tick does not underrun the device.
 */
public final class DeviceSink implements AudioSink {
    private static final System.Logger LOG = System.getLogger(DeviceSink.class.getName());
    private static final int PREFILL_FRAMES = 2;

    private final SourceDataLine line;
    private final StreamResampler resampler;
    private final LevelMeter meter = new LevelMeter();
    private long dropped;

    /** Wraps an open line; {@link #start()} primes and starts it. */
    DeviceSink(SourceDataLine line) {
        this.line = line;
        int rate = Math.round(line.getFormat().getSampleRate());
        this.resampler = rate == AudioFrame.SAMPLE_RATE ? null : new StreamResampler(AudioFrame.SAMPLE_RATE, rate);
    }

    /** Opens {@code device}'s speaker, or the system default one when {@code device} is null. */
    public static DeviceSink open(AudioDevice device) throws LineUnavailableException {
        SourceDataLine line = AudioDevices.open(SourceDataLine.class, device, 200);
        DeviceSink sink = new DeviceSink(line);
        sink.start();
        return sink;
    }

    void start() {
        for (int i = 0; i < PREFILL_FRAMES; i++) {
            write(AudioFrame.silence());
        }
        line.start();
    }

    /** The level of the last frame played. */
    public LevelMeter meter() {
        return meter;
    }

    public int deviceRate() {
        return Math.round(line.getFormat().getSampleRate());
    }

    @Override
    public synchronized void write(short[] frame) {
        meter.update(frame);
        short[] pcm = resampler == null ? frame : resampler.process(frame, frame.length);
        byte[] bytes = new byte[pcm.length * 2];
        for (int i = 0; i < pcm.length; i++) {
            bytes[2 * i] = (byte) pcm[i];
            bytes[2 * i + 1] = (byte) (pcm[i] >> 8);
        }
        if (line.available() < bytes.length) {
            dropped++;
            return;
        }
        line.write(bytes, 0, bytes.length);
    }

    /** Frames dropped because the device buffer was full. */
    public synchronized long dropped() {
        return dropped;
    }

    @Override
    public synchronized void close() {
        try {
            line.stop();
            line.flush();
            line.close();
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "closing the speaker: {0}", e.toString());
        }
    }
}

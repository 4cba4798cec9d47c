package org.callibry.softphone.audio;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.Line;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.Mixer;
import javax.sound.sampled.SourceDataLine;
import javax.sound.sampled.TargetDataLine;

/**
 * The machine's sound devices through javax.sound. On a box without sound (a server, CI) the lists
 * are empty and opening the default device fails with a {@link LineUnavailableException}: nothing
 * here throws anything else, so the softphone still starts there.
 */
public final class AudioDevices {
    private static final System.Logger LOG = System.getLogger(AudioDevices.class.getName());
    /** Rates tried in order when a device cannot capture or play 8 kHz itself. */
    static final float[] RATES = {8000f, 16000f, 48000f, 44100f, 32000f, 22050f};

    private AudioDevices() {
    }

    /** Every mixer that can capture or play 16-bit PCM; empty when there is none or sound is broken. */
    public static List<AudioDevice> list() {
        List<AudioDevice> devices = new ArrayList<>();
        try {
            for (Mixer.Info info : AudioSystem.getMixerInfo()) {
                try {
                    Mixer mixer = AudioSystem.getMixer(info);
                    boolean capture = mixer.getTargetLineInfo(new Line.Info(TargetDataLine.class)).length > 0;
                    boolean playback = mixer.getSourceLineInfo(new Line.Info(SourceDataLine.class)).length > 0;
                    if (capture || playback) {
                        devices.add(new AudioDevice(info.getName(), info.getDescription(), capture, playback, info));
                    }
                } catch (RuntimeException | LinkageError e) {
                    LOG.log(Level.DEBUG, "skipping mixer {0}: {1}", info.getName(), e.toString());
                }
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.WARNING, "no sound system: {0}", e.toString());
        }
        return devices;
    }

    /** Devices with a microphone. */
    public static List<AudioDevice> captureDevices() {
        return list().stream().filter(AudioDevice::capture).toList();
    }

    /** Devices with a speaker. */
    public static List<AudioDevice> playbackDevices() {
        return list().stream().filter(AudioDevice::playback).toList();
    }

    /** The device called {@code name}, if present. */
    public static Optional<AudioDevice> find(String name) {
        return list().stream().filter(d -> d.name().equals(name)).findFirst();
    }

    /** 16-bit signed little-endian mono at {@code rate}. */
    static AudioFormat format(float rate) {
        return new AudioFormat(rate, 16, 1, true, false);
    }

    /**
     * Opens a line of {@code type} on {@code device} (null: the system default) at the first rate of
     * {@link #RATES} it takes.
     */
    static <L extends DataLine> L open(Class<L> type, AudioDevice device, int bufferMillis)
            throws LineUnavailableException {
        LineUnavailableException failure = null;
        for (float rate : RATES) {
            AudioFormat format = format(rate);
            DataLine.Info info = new DataLine.Info(type, format);
            try {
                Line line = device == null ? AudioSystem.getLine(info) : AudioSystem.getMixer(device.info()).getLine(info);
                L data = type.cast(line);
                int bytes = (int) (rate * bufferMillis / 1000) * 2;
                if (data instanceof TargetDataLine t) {
                    t.open(format, bytes);
                } else if (data instanceof SourceDataLine s) {
                    s.open(format, bytes);
                }
                return data;
            } catch (LineUnavailableException e) {
                failure = e;
            } catch (IllegalArgumentException | SecurityException e) {
                failure = new LineUnavailableException(e.getMessage());
            }
        }
        throw failure != null ? failure : new LineUnavailableException("no line");
    }
}

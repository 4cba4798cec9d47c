package org.callibry.softphone.audio;

import java.util.Objects;

/**
 * Copies a source to a sink every 20 ms outside any call: the ringtone on the ring device, local
 * ringback before the far end sends early media, the settings view's speaker test (a
 * {@link ToneSource}) and microphone test (a {@link DeviceSource} into a {@link DeviceSink}).
 */
public final class AudioPlayer implements AutoCloseable {
    private final FrameClock clock;
    private volatile AudioSource source;

    private AudioPlayer(AudioSource source, AudioSink sink) {
        this.source = source;
        this.clock = FrameClock.start("audio-player", () -> sink.write(this.source.read()));
    }

    /** Starts playing {@code source} into {@code sink}; {@link #close()} stops (and closes neither). */
    public static AudioPlayer start(AudioSource source, AudioSink sink) {
        return new AudioPlayer(Objects.requireNonNull(source, "source"), Objects.requireNonNull(sink, "sink"));
    }

    /** Switches to another source without a gap (ringback to silence, one tone to another). */
    public void setSource(AudioSource source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    /** Frames played so far. */
    public long frames() {
        return clock.ticks();
    }

    @Override
    public void close() {
        clock.close();
    }
}

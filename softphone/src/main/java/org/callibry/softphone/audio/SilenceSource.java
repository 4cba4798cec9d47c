package org.callibry.softphone.audio;

/** A source of silence, for a call with no microphone (or a muted one that keeps sending). */
public final class SilenceSource implements AudioSource {
    @Override
    public short[] read() {
        return AudioFrame.silence();
    }
}

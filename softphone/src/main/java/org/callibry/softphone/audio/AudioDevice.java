package org.callibry.softphone.audio;

import javax.sound.sampled.Mixer;

/**
 * A sound device (a javax.sound mixer) as the settings view lists it.
 *
 * @param name        the mixer's name, what settings store
 * @param description the mixer's description, for display
 * @param capture     has a microphone line (TargetDataLine)
 * @param playback    has a speaker line (SourceDataLine)
 */
public record AudioDevice(String name, String description, boolean capture, boolean playback, Mixer.Info info) {
    @Override
    public String toString() {
        return name;
    }
}

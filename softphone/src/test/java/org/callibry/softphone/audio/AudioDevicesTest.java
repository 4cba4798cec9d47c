package org.callibry.softphone.audio;

import static org.assertj.core.api.Assertions.assertThat;

import javax.sound.sampled.LineUnavailableException;
import org.junit.jupiter.api.Test;

/** Scenarios: listing and opening devices work or fail cleanly, also on a box without sound. */
class AudioDevicesTest {
    @Test
    void listsDevicesWithoutThrowing() {
        assertThat(AudioDevices.list()).allSatisfy(d -> assertThat(d.capture() || d.playback()).isTrue());
        assertThat(AudioDevices.captureDevices()).allMatch(AudioDevice::capture);
        assertThat(AudioDevices.playbackDevices()).allMatch(AudioDevice::playback);
        assertThat(AudioDevices.find("no such device")).isEmpty();
    }

    @Test
    void defaultDevicesOpenOrFailWithLineUnavailable() {
        try (DeviceSource microphone = DeviceSource.open(null)) {
            assertThat(microphone.read()).hasSize(AudioFrame.SAMPLES);
            assertThat(microphone.meter().level()).isBetween(0.0, 1.0);
        } catch (LineUnavailableException e) {
            // headless: no sound system
        }
        try (DeviceSink speaker = DeviceSink.open(null)) {
            speaker.write(AudioFrame.silence());
            assertThat(speaker.meter().peak()).isZero();
        } catch (LineUnavailableException e) {
            // headless: no sound system
        }
    }
}

package org.callibry.softphone.app;

import java.util.function.Supplier;
import org.callibry.softphone.audio.AudioDevices;
import org.callibry.softphone.audio.AudioSink;
import org.callibry.softphone.audio.AudioSource;
import org.callibry.softphone.audio.DeviceSink;
import org.callibry.softphone.audio.DeviceSource;
import org.callibry.softphone.audio.SilenceSource;
import org.callibry.softphone.history.CallHistory;
import org.callibry.softphone.phone.Phone;
import org.callibry.softphone.phone.SipPhone;
import org.callibry.softphone.settings.Settings;

/**
 * Makes the phone the application uses: the SIP user agent with the sound devices the settings name
 * (microphone, speaker, ring device), the system's default ones when they name none or a device is gone.
 */
final class Phones {
    private Phones() {
    }

    static Phone create(CallHistory history, Supplier<Settings> settings) {
        return new SipPhone(new SipPhone.Audio() {
            @Override
            public AudioSource microphone() {
                try {
                    return DeviceSource.open(AudioDevices.find(settings.get().microphone()).orElse(null));
                } catch (Exception e) {
                    System.err.println("No microphone (" + e.getMessage() + "): sending silence");
                    return new SilenceSource();
                }
            }

            @Override
            public AudioSink speaker() {
                return sink(settings.get().speaker(), "speaker");
            }

            @Override
            public AudioSink ringer() {
                String ring = settings.get().ringDevice();
                return sink(ring.isBlank() ? settings.get().speaker() : ring, "ring device");
            }

            private AudioSink sink(String name, String what) {
                try {
                    return DeviceSink.open(AudioDevices.find(name).orElse(null));
                } catch (Exception e) {
                    System.err.println("No " + what + " (" + e.getMessage() + "): not heard");
                    return frame -> { };
                }
            }
        }, history);
    }
}

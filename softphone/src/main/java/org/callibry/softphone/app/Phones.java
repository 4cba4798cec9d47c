package org.callibry.softphone.app;

import java.nio.file.Path;
import org.callibry.softphone.audio.AudioSink;
import org.callibry.softphone.audio.AudioSource;
import org.callibry.softphone.audio.DeviceSink;
import org.callibry.softphone.audio.DeviceSource;
import org.callibry.softphone.audio.SilenceSource;
import org.callibry.softphone.history.CallHistory;
import org.callibry.softphone.phone.Phone;
import org.callibry.softphone.phone.SipPhone;

/** Makes the phone the application uses: the SIP user agent with the system's default sound devices. */
final class Phones {
    private Phones() {
    }

    static Phone create(Path configDir) {
        return new SipPhone(new SipPhone.Audio() {
            @Override
            public AudioSource microphone() {
                try {
                    return DeviceSource.open(null);
                } catch (Exception e) {
                    System.err.println("No microphone (" + e.getMessage() + "): sending silence");
                    return new SilenceSource();
                }
            }

            @Override
            public AudioSink speaker() {
                try {
                    return DeviceSink.open(null);
                } catch (Exception e) {
                    System.err.println("No speaker (" + e.getMessage() + "): calls are not heard");
                    return frame -> { };
                }
            }
        }, new CallHistory(configDir));
    }
}

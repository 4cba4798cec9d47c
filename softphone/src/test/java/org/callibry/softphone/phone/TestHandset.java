package org.callibry.softphone.phone;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.callibry.shared.media.Tones;
import org.callibry.shared.media.WavWriter;
import org.callibry.softphone.audio.AudioSink;
import org.callibry.softphone.audio.AudioSource;
import org.callibry.softphone.audio.WavFileSink;
import org.callibry.softphone.audio.WavFileSource;
import org.callibry.softphone.history.CallHistory;
import org.callibry.softphone.settings.Settings;
import org.callibry.softphone.sip.SipTestServer;

/**
 * A complete phone for the tests ({@link SipPhone}: user agent and RTP) whose microphone is a WAV file
 * of one tone and whose speaker, ring device and ringback are WAV files in its own folder
 * ({@code hears.wav}, {@code ring.wav}, {@code ringback.wav}); it keeps every call event and
 * registration state it saw.
 *
 * @param dir the handset's folder (its history too)
 */
public record TestHandset(SipPhone phone, List<Phone.CallInfo> calls, List<Phone.Registration> registrations, Path dir,
                          CallHistory history) {

    /** A handset in {@code dir} saying {@code toneHz}, not registered yet. */
    public static TestHandset create(Path dir, int toneHz) throws Exception {
        Files.createDirectories(dir);
        Path mouth = dir.resolve("says.wav");
        try (WavWriter w = new WavWriter(mouth, 8000, 1)) {
            w.write(Tones.sine(toneHz, 8000, 8000, 8000 * 30));
        }
        CallHistory history = new CallHistory(dir);
        SipPhone phone = new SipPhone(new SipPhone.Audio() {
            @Override
            public AudioSource microphone() {
                try {
                    return WavFileSource.open(mouth, true);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public AudioSink speaker() {
                return wav("hears.wav");
            }

            @Override
            public AudioSink ringer() {
                return wav("ring.wav");
            }

            @Override
            public AudioSink ringback() {
                return wav("ringback.wav");
            }

            private AudioSink wav(String name) {
                try {
                    return new WavFileSink(dir.resolve(name));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }, history);
        List<Phone.CallInfo> calls = new CopyOnWriteArrayList<>();
        List<Phone.Registration> registrations = new CopyOnWriteArrayList<>();
        phone.addListener(new Phone.Listener() {
            @Override
            public void registration(String account, Phone.Registration state, String reason) {
                registrations.add(state);
            }

            @Override
            public void call(Phone.CallInfo call) {
                calls.add(call);
            }
        });
        return new TestHandset(phone, calls, registrations, dir, history);
    }

    /** A handset registering {@code number} (UDP) with {@code server}. */
    public static TestHandset registering(Path dir, int toneHz, SipTestServer server, String number) throws Exception {
        TestHandset h = create(dir, toneHz);
        h.phone.register(Settings.defaults().withServer("127.0.0.1:" + server.sipPort).withUser(number)
                .withPassword(SipTestServer.PASSWORD));
        return h;
    }

    /** What its speaker played. */
    public Path heard() {
        return dir.resolve("hears.wav");
    }

    /** The state of the latest call event. */
    public Phone.CallState state() {
        return calls.isEmpty() ? Phone.CallState.IDLE : calls.getLast().state();
    }

    public boolean registered() {
        return registrations.contains(Phone.Registration.REGISTERED);
    }
}

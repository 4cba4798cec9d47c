package org.callibry.softphone.phone;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.callibry.softphone.audio.AudioPlayer;
import org.callibry.softphone.audio.AudioSink;
import org.callibry.softphone.audio.Ringer;
import org.callibry.softphone.sip.Call;
import org.callibry.softphone.sip.CallState;

/**
 * The phone's tones: the ringtone while an incoming call rings (unless a call is in progress: call
 * waiting stays quiet), the local ringback while an outgoing call waits for an answer, silence
 * otherwise.
 */
final class Tones {
    private final SipPhone.Audio audio;
    private final Supplier<List<Call>> calls;
    /** The tone while it plays, the sink it plays on, and which tone it is ("ring", "ringback" or null). */
    private AudioPlayer tone;
    private AudioSink toneSink;
    private String toneKind;

    Tones(SipPhone.Audio audio, Supplier<List<Call>> calls) {
        this.audio = audio;
        this.calls = calls;
    }

    /** Plays the tone the calls call for now. */
    synchronized void update() {
        List<Call> calls = this.calls.get();
        boolean talking = calls.stream().anyMatch(c -> c.state().established());
        boolean ringing = !talking && calls.stream().anyMatch(c -> c.direction() == Call.Direction.INCOMING
                && c.state() == CallState.RINGING);
        boolean ringback = !talking && calls.stream().anyMatch(c -> c.direction() == Call.Direction.OUTGOING
                && (c.state() == CallState.DIALING || c.state() == CallState.EARLY));
        String kind = ringing ? "ring" : ringback ? "ringback" : null;
        if (Objects.equals(kind, toneKind)) {
            return; // the same tone goes on, its cadence not restarted
        }
        toneKind = kind;
        if (tone != null) {
            tone.close();
            toneSink.close();
            tone = null;
            toneSink = null;
        }
        if (ringing || ringback) {
            toneSink = ringing ? audio.ringer() : audio.ringback();
            tone = AudioPlayer.start(ringing ? Ringer.ringtone() : Ringer.ringback(), toneSink);
        }
    }

    /** Stops the tone playing, if any (the phone stops). */
    synchronized void stop() {
        if (tone != null) {
            tone.close();
            toneSink.close();
            tone = null;
        }
    }
}

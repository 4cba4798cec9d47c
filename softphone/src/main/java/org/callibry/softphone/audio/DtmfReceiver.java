package org.callibry.softphone.audio;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.callibry.shared.media.RtpPacket;
import org.callibry.shared.media.TelephoneEvent;

/**
 * DTMF digits from RFC 4733 telephone-event packets: one event per timestamp, reported once to the
 * {@link DtmfListener}s, at its first end packet (or when the next event begins, if all its end
 * packets were lost). The receive thread feeds it.
 */
final class DtmfReceiver {
    private static final System.Logger LOG = System.getLogger(RtpSession.class.getName());

    private final List<DtmfListener> listeners = new CopyOnWriteArrayList<>();
    // receive thread only
    private long timestamp = -1;
    private boolean reported;
    private int event;
    private int duration;

    void addListener(DtmfListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    void removeListener(DtmfListener listener) {
        listeners.remove(listener);
    }

    /** RFC 4733 §2.5.2: one event per timestamp; reported once, at its first end packet. */
    void received(RtpPacket packet) {
        if (packet.payload().length < TelephoneEvent.PAYLOAD_LENGTH) {
            return;
        }
        TelephoneEvent e = TelephoneEvent.decode(packet.payload(), 0, packet.payload().length);
        if (packet.timestamp() != timestamp) {
            // an event whose end packets were all lost is reported when the next one begins
            if (timestamp >= 0 && !reported) {
                report(event, duration);
            }
            timestamp = packet.timestamp();
            reported = false;
            duration = 0;
        }
        event = e.event();
        duration = Math.max(duration, e.duration());
        if (e.end() && !reported) {
            reported = true;
            report(e.event(), e.duration());
        }
    }

    private void report(int event, int duration) {
        if (event >= 16) {
            return;
        }
        char digit = TelephoneEvent.digit(event);
        int millis = duration / (AudioFrame.SAMPLE_RATE / 1000);
        for (DtmfListener listener : listeners) {
            try {
                listener.digitReceived(digit, millis);
            } catch (RuntimeException ex) {
                LOG.log(Level.WARNING, "DTMF listener failed", ex);
            }
        }
    }
}

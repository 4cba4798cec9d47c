package org.callibry.softphone.phone;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.callibry.softphone.audio.AudioSink;
import org.callibry.softphone.audio.AudioSource;
import org.callibry.softphone.audio.RtpSession;
import org.callibry.softphone.sip.Call;
import org.callibry.softphone.sip.CallMedia;
import org.callibry.softphone.sip.CallState;
import org.callibry.softphone.sip.MediaDirection;

/**
 * The audio of the phone's calls: one {@link RtpSession} per call, started when its media is
 * negotiated and following its direction (hold) and the operator's mute, stopped when the call ends;
 * and a watchdog that drops a call whose other side went silent on the network.
 */
final class CallAudio {
    /** A call's RTP session with the source and sink it uses (closed with it: the session leaves them open). */
    private record Media(RtpSession session, AudioSource source, AudioSink sink) {
    }

    private final SipPhone.Audio audio;
    private final List<Phone.Listener> listeners;
    private final Map<Call, Media> sessions = new ConcurrentHashMap<>();
    /** Calls that expect audio now (answered, not held by either side), since when they do. */
    private final Map<Call, Long> listeningSince = new ConcurrentHashMap<>();
    /** Calls the operator muted. */
    private final Set<Call> mutedCalls = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService watchdog = Executors
            .newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("media-watchdog").unstarted(r));
    /** How long an answered call may go without audio from the other side before it counts as dropped. */
    private volatile Duration mediaTimeout = Duration.ofSeconds(60);

    /** {@code listeners} hear of a call whose audio could not start. */
    CallAudio(SipPhone.Audio audio, List<Phone.Listener> listeners) {
        this.audio = audio;
        this.listeners = listeners;
        watchdog.scheduleWithFixedDelay(this::checkMedia, 1, 1, TimeUnit.SECONDS);
    }

    void setMediaTimeout(Duration timeout) {
        this.mediaTimeout = timeout;
    }

    /**
     * A call whose other side went silent on the network (no RTP or RTCP) for the media timeout while
     * it should be sending is ended with BYE, and the window says the connection was lost.
     */
    private void checkMedia() {
        try {
            dropSilentCalls();
        } catch (RuntimeException e) { // the schedule must go on
            System.getLogger(SipPhone.class.getName()).log(System.Logger.Level.WARNING, "media check failed", e);
        }
    }

    private void dropSilentCalls() {
        long now = System.nanoTime();
        long limit = mediaTimeout.toMillis();
        listeningSince.forEach((call, since) -> {
            Media m = sessions.get(call);
            if (m == null || call.state() != CallState.ACTIVE) {
                return;
            }
            long silent = Math.min(m.session().idleMillis(), (now - since) / 1_000_000);
            if (silent >= limit && listeningSince.remove(call, since)) {
                call.drop("no audio from the other side for " + silent / 1000 + " s");
            }
        });
    }

    /** Starts or updates the call's RTP session from its negotiated media. */
    synchronized void media(Call call, CallMedia m) {
        if (m == null || m.remote() == null || m.payloadType() < 0) {
            return;
        }
        RtpSession.Parameters p = new RtpSession.Parameters(m.remote(), m.payloadType(), m.telephoneEventPayloadType());
        Media existing = sessions.get(call);
        RtpSession s = existing == null ? null : existing.session();
        try {
            if (s == null) {
                // the UA bound the port it put into SDP; the RTP session binds it again for itself
                InetAddress address = call.rtpPorts().address();
                int port = m.localRtpPort();
                DatagramSocket rtp = call.rtpPorts().takeRtp();
                DatagramSocket rtcp = call.rtpPorts().takeRtcp();
                rtp.close();
                rtcp.close();
                s = RtpSession.bind(address, port);
                AudioSource source = audio.microphone();
                AudioSink sink = audio.speaker();
                s.start(p, source, sink);
                sessions.put(call, new Media(s, source, sink));
            } else {
                s.update(p);
            }
            s.setDirection(RtpSession.Direction.valueOf(m.direction().name()));
            // audio is expected only when neither side holds (recvonly: the other side holds us, and a holder
            // may send nothing at all); counted from now, as a resumed call had no audio while held
            if (m.direction() == MediaDirection.SENDRECV) {
                listeningSince.putIfAbsent(call, System.nanoTime());
            } else {
                listeningSince.remove(call);
            }
            s.setMuted(silenced(call, m.direction()));
        } catch (IOException | RuntimeException e) {
            listeners.forEach(l -> l.call(new Phone.CallInfo(call.id(), call.remoteUser(), call.remoteDisplayName(),
                    call.direction() == Call.Direction.INCOMING, Phone.CallState.valueOf(call.state().name()),
                    "no audio: " + e.getMessage(), "", null, call.queue(), call.serverCallId(), call.queueWait())));
        }
    }

    /** Mutes or unmutes the operator's microphone in {@code call}. */
    void mute(Call call, boolean on) {
        if (on) {
            mutedCalls.add(call);
        } else {
            mutedCalls.remove(call);
        }
        Media m = sessions.get(call);
        if (m != null && call.media() != null) {
            m.session().setMuted(silenced(call, call.media().direction()));
        }
    }

    /**
     * Whether our microphone is kept from the other side: the operator muted the call, or we hold it
     * (sendonly or inactive: a consultation stays private).
     */
    private boolean silenced(Call call, MediaDirection direction) {
        return mutedCalls.contains(call) || direction == MediaDirection.SENDONLY || direction == MediaDirection.INACTIVE;
    }

    /** Sends {@code digit} in the call's RTP stream (RFC 4733) when it has one with telephone-event; false otherwise. */
    boolean sendDigit(Call call, char digit) {
        Media m = sessions.get(call);
        if (m == null || call.media().telephoneEventPayloadType() < 0) {
            return false;
        }
        m.session().sendDigit(digit, 160);
        return true;
    }

    /** Stops the call's RTP session and closes its microphone and speaker. */
    void stop(Call call) {
        listeningSince.remove(call);
        mutedCalls.remove(call);
        Media m = sessions.remove(call);
        if (m != null) {
            m.session().close();
            m.source().close();
            m.sink().close();
        }
    }

    /** Stops the watchdog and every call's audio. */
    void close() {
        watchdog.shutdownNow();
        sessions.keySet().forEach(this::stop);
    }
}

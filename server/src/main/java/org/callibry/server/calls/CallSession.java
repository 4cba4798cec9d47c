package org.callibry.server.calls;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One call leg on the media server, as the applications (echo, music on hold, queues, IVR, dialer)
 * drive it. Every method returns at once; what takes time completes a future or calls a
 * {@link Listener}. Audio is 8 kHz mono 16-bit samples; the session encodes to the negotiated codec.
 */
public interface CallSession {

    String id();

    String callId();

    /** The caller's user part (A-number) and the number dialled (B-number, after the route's rewrite). */
    String caller();

    String called();

    /** The service the route named (queue name, IVR name, ...), or empty. */
    String serviceName();

    /** The caller's tenant as the signaling node passed it, or null. */
    Long tenantId();

    /**
     * What the application that placed or passed on the call knows of it, for the application that
     * serves it: a campaign's number passes the columns of its CSV row ({@code name}, {@code balance},
     * ...) to the IVR scenario it runs. Empty for a call from a phone.
     */
    default java.util.Map<String, String> variables() {
        return java.util.Map.of();
    }

    /** Sends 200 OK with our SDP answer (idempotent). */
    void answer();

    /** Refuses a call not answered yet with {@code code} (4xx-6xx). */
    void reject(int code, String reason);

    /**
     * Plays the prompts one after the other, replacing what was playing; {@code interruptible}: a DTMF
     * digit stops it. {@link Listener#playbackFinished} follows the end (not after a replacement).
     */
    void play(List<short[]> prompts, boolean loop, boolean interruptible);

    void stopPlayback();

    /** Sends back what the caller says (the echo test). */
    void echo(boolean on);

    /**
     * Collects up to {@code maxDigits} (RFC 4733 telephone-events or SIP INFO dtmf-relay); completes on
     * the last digit, a terminator (not included), the timeouts, or hang-up (with what was collected).
     */
    CompletableFuture<String> collectDigits(int maxDigits, Duration firstDigitTimeout, Duration interDigitTimeout,
                                            String terminators);

    /** Records what the caller says into a WAV file until {@code max}, a digit in {@code stopDigits}, or hang-up. */
    CompletableFuture<Path> record(Path wav, Duration max, String stopDigits);

    /** Connects this leg's audio with another session's, both ways, until either unbridges or ends. */
    void bridge(CallSession other);

    void unbridge();

    /**
     * This leg also hears {@code other} ({@code on}), or no longer ({@code !on}). Once a leg hears more
     * than one other (its bridged party included), what it hears is mixed: a supervisor listening to both
     * parties of a call, an agent hearing the caller and a whispering supervisor, a conference.
     */
    void hear(CallSession other, boolean on);

    /** Blind transfer of the caller to {@code targetUri} (REFER, RFC 3515); the caller then leaves this session. */
    void transfer(String targetUri);

    /** BYE (or a final error before answer); idempotent. */
    void hangup(String reason);

    boolean active();

    void addListener(Listener listener);

    /** Session events; called on media or signaling threads, so they must not block. */
    interface Listener {
        default void answered(CallSession session) {
        }

        default void digit(CallSession session, char digit) {
        }

        default void playbackFinished(CallSession session) {
        }

        default void ended(CallSession session, String reason) {
        }
    }
}

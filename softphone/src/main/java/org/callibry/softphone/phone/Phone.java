package org.callibry.softphone.phone;

import org.callibry.softphone.settings.Settings;

/**
 * What the screens ask of the phone: the SIP user agent and the audio engine behind one face, so the
 * view models stay testable. Events come back through {@link Listener}, on any thread.
 */
public interface Phone extends AutoCloseable {

    enum Registration { UNREGISTERED, REGISTERING, REGISTERED, FAILED }

    enum CallState { IDLE, DIALING, RINGING, EARLY, ACTIVE, HELD, ENDED }

    /**
     * One call as the screens show it; {@code account} is the line it is on ({@code user@server});
     * {@code reason} a note (e.g. why there is no audio) or, once it ended, why, in English (the log's
     * words); {@code ending} the same as a code the screens translate, null while the call goes on;
     * {@code queue} the name of the server's queue that offered an incoming call, empty otherwise.
     */
    record CallInfo(String id, String peer, String peerName, boolean incoming, CallState state, String reason, String account,
                    Ending ending, String queue, String serverCallId, String queueWait) {
        public CallInfo {
            queue = queue == null ? "" : queue;
            serverCallId = serverCallId == null ? "" : serverCallId;
            queueWait = queueWait == null ? "" : queueWait;
        }

        public CallInfo(String id, String peer, String peerName, boolean incoming, CallState state, String reason, String account,
                        Ending ending, String queue) {
            this(id, peer, peerName, incoming, state, reason, account, ending, queue, "", "");
        }

        /**
         * The id the server knows the call by (shared by all its legs: CDRs, recordings, notes on the
         * console): the INVITE's {@code X-Callibry-Call-Id} when a queue offered it, else the SIP Call-ID;
         * this call's local id when neither is known.
         */
        public String sharedCallId() {
            return serverCallId.isBlank() ? id : serverCallId;
        }

        public CallInfo(String id, String peer, String peerName, boolean incoming, CallState state, String reason) {
            this(id, peer, peerName, incoming, state, reason, "", null, "");
        }

        public CallInfo(String id, String peer, String peerName, boolean incoming, CallState state, String reason, String account) {
            this(id, peer, peerName, incoming, state, reason, account, null, "");
        }

        public CallInfo(String id, String peer, String peerName, boolean incoming, CallState state, String reason, String account,
                        Ending ending) {
            this(id, peer, peerName, incoming, state, reason, account, ending, "");
        }
    }

    /**
     * Why a call ended: {@code kind} one of LOCAL_HANGUP, REMOTE_HANGUP, CANCELLED, MISSED, REJECTED,
     * BUSY, DECLINED, NOT_FOUND, UNAVAILABLE, INCOMPATIBLE_MEDIA, SERVER_UNREACHABLE,
     * AUTHENTICATION_FAILED, TRANSFERRED, REPLACED, CONNECTION_LOST, FAILED; {@code status} the SIP status (0 = none);
     * {@code detail} the server's reason phrase for a FAILED one.
     */
    record Ending(String kind, int status, String detail) {
    }

    interface Listener {
        /** The registration of {@code account} ({@code user@server}) changed. */
        default void registration(String account, Registration state, String reason) {
        }

        default void call(CallInfo call) {
        }

        /** A text message from {@code from} (a number), with the sender's display name if it gave one. */
        default void message(String from, String fromName, String text) {
        }
    }

    /** Where an account's registration is now, with the reason when it failed. */
    record AccountStatus(String account, Registration state, String reason) {
    }

    /** Every account's registration now, in the settings' order (a window built later starts from it). */
    default java.util.List<AccountStatus> status() {
        return java.util.List.of();
    }

    /** The account ({@code user@server}) outgoing calls and messages use from now on. */
    default void useAccount(String account) {
    }

    /** The account outgoing calls and messages use now (empty when there is none). */
    default String outgoingAccount() {
        return "";
    }

    void addListener(Listener l);

    void removeListener(Listener l);

    void register(Settings settings);

    void dial(String number);

    /** Answers the call that rings longest (a call in progress goes on hold). */
    void answer();

    /** Rejects (486) the call that rings longest. */
    void reject();

    /** Answers this ringing call (a call in progress goes on hold); nothing when it no longer rings. */
    default void answer(String callId) {
        answer();
    }

    /** Rejects this ringing call; nothing when it no longer rings. */
    default void reject(String callId) {
        reject();
    }

    void hangup();

    void hold(boolean on);

    void mute(boolean on);

    void transfer(String target);

    /**
     * Attended transfer, first step: the call in progress goes on hold and {@code target} is called
     * (the consultation call).
     */
    void consult(String target);

    /** Attended transfer, last step: the held call is connected to the consultation call (REFER with Replaces). */
    void completeTransfer();

    void sendDigit(char digit);

    /**
     * A message whose fate is not known: the phone stopped (or its account was replaced) before the
     * server answered.
     */
    final class UnconfirmedException extends RuntimeException {
        public UnconfirmedException(String message) {
            super(message);
        }
    }

    /**
     * Sends a text message; completes when the server accepted it, exceptionally with the reason
     * otherwise ({@link UnconfirmedException} when no answer came before the line stopped).
     */
    java.util.concurrent.CompletableFuture<Void> sendMessage(String to, String text);

    /** The SHA-256 fingerprint of the TLS certificate the last registration refused, if any (to offer accepting it). */
    default java.util.Optional<String> refusedCertificate() {
        return java.util.Optional.empty();
    }

    @Override
    void close();
}

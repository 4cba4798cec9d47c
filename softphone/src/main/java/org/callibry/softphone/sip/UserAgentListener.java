package org.callibry.softphone.sip;

/**
 * What a {@link UserAgent} reports. Every method is called on the agent's one event thread, in the
 * order things happened; implementations hand over to their UI thread themselves and may call back
 * into the agent. All methods do nothing by default.
 */
public interface UserAgentListener {
    /** The registration changed (state, or reason of a failure). */
    default void registrationChanged(Registration registration) {
    }

    /**
     * A call arrived; it is RINGING ({@link Call#waiting()} tells whether another call was in progress),
     * or already ACTIVE when it replaced a call of ours (attended transfer, {@link Call#replaced()}).
     */
    default void incomingCall(Call call) {
    }

    /** A call changed state; when ENDED, {@link Call#end()} says why. */
    default void callStateChanged(Call call, CallState state) {
    }

    /** The call's media changed: new remote address, codec or direction (see {@link Call#media()}). */
    default void mediaChanged(Call call, CallMedia media) {
    }

    /** The other party sent a DTMF digit by SIP INFO. */
    default void dtmfReceived(Call call, char digit, int durationMillis) {
    }

    /** A text message arrived. */
    default void messageReceived(InstantMessage message) {
    }

    /** A transfer of this call made progress. */
    default void transferProgress(Call call, TransferProgress progress) {
    }
}

package org.callibry.softphone.audio;

/** Told of each DTMF digit received as RFC 4733 telephone-events, once per key press. */
@FunctionalInterface
public interface DtmfListener {
    /** {@code digit} is one of {@code 0-9 * # A-D}; called on the session's receive thread. */
    void digitReceived(char digit, int durationMillis);
}

package org.callibry.softphone.sip;

/**
 * The states of a call as the user sees them. Outgoing: DIALING, EARLY (the callee rings or early
 * media), ACTIVE. Incoming: RINGING, ACTIVE. Then HELD (put on hold here) and back, and ENDED.
 */
public enum CallState {
    DIALING, RINGING, EARLY, ACTIVE, HELD, ENDED;

    public boolean established() {
        return this == ACTIVE || this == HELD;
    }
}

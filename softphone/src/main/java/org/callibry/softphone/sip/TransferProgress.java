package org.callibry.softphone.sip;

/**
 * How a transfer (REFER, RFC 3515) is going, for either side.
 *
 * @param role    TRANSFEROR: this phone asked the other party to go elsewhere; TRANSFEREE: this phone was asked to
 * @param status  the SIP status the new call reached (from the NOTIFY's sipfrag for the transferor, from the new
 *                call for the transferee), 202 when the REFER was accepted, or the REFER's failure status
 * @param text    the status's reason phrase or an explanation
 * @param done    true when the transfer is over (succeeded or failed)
 * @param newCall the transferee's new call to the target, else null
 */
public record TransferProgress(Role role, int status, String text, boolean done, Call newCall) {
    /** Which side of the transfer this phone is. */
    public enum Role {
        TRANSFEROR, TRANSFEREE
    }

    public boolean succeeded() {
        return done && status >= 200 && status < 300;
    }
}

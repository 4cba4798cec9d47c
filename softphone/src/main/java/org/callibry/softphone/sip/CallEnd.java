package org.callibry.softphone.sip;

/**
 * Why a call ended: the kind, the SIP status that ended it (0 when none) and a text for the user.
 *
 * @param reason the kind of ending
 * @param status the SIP status code, 0 when the call ended without a final failure response
 * @param text   a short explanation, e.g. "busy" or the server's reason phrase
 */
public record CallEnd(Reason reason, int status, String text) {
    /** The kinds of ending. */
    public enum Reason {
        /** Hung up here. */
        LOCAL_HANGUP,
        /** The other party hung up. */
        REMOTE_HANGUP,
        /** Cancelled here before it was answered. */
        CANCELLED,
        /** The caller gave up before it was answered here (incoming). */
        MISSED,
        /** Rejected here (486 sent). */
        REJECTED,
        /** The callee is busy (486 or 600). */
        BUSY,
        /** The callee declined (603). */
        DECLINED,
        /** No such number (404, 484, 604). */
        NOT_FOUND,
        /** The callee is not reachable or did not answer (408, 480). */
        UNAVAILABLE,
        /** No common codec (488) or an unusable SDP. */
        INCOMPATIBLE_MEDIA,
        /** The server did not answer (timeout or network error). */
        SERVER_UNREACHABLE,
        /** The proxy refused our credentials. */
        AUTHENTICATION_FAILED,
        /** Handed over to another party by a transfer. */
        TRANSFERRED,
        /** Replaced by another call (attended transfer, RFC 3891). */
        REPLACED,
        /** The network dropped it: no audio came for too long (here or at the server's relay). */
        CONNECTION_LOST,
        /** Any other failure response. */
        FAILED
    }

    static CallEnd of(Reason reason, String text) {
        return new CallEnd(reason, 0, text);
    }

    /** The ending a final failure response to our INVITE means (RFC 3261 §21.4-21.6). */
    static CallEnd fromStatus(int status, String phrase) {
        Reason r = switch (status) {
            case 486, 600 -> Reason.BUSY;
            case 603 -> Reason.DECLINED;
            case 404, 484, 604 -> Reason.NOT_FOUND;
            case 408, 480 -> Reason.UNAVAILABLE;
            case 487 -> Reason.CANCELLED;
            case 488, 606 -> Reason.INCOMPATIBLE_MEDIA;
            case 401, 403, 407 -> Reason.AUTHENTICATION_FAILED;
            default -> Reason.FAILED;
        };
        String text = switch (r) {
            case BUSY -> "busy";
            case DECLINED -> "declined";
            case NOT_FOUND -> "number not found";
            case UNAVAILABLE -> "not available";
            case CANCELLED -> "cancelled";
            case INCOMPATIBLE_MEDIA -> "no common codec";
            case AUTHENTICATION_FAILED -> "wrong password";
            default -> phrase == null || phrase.isBlank() ? "failed" : phrase;
        };
        return new CallEnd(r, status, text + " (" + status + ")");
    }
}

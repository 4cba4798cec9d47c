package org.callibry.server.calls;

/**
 * Why an outbound call ({@link CallControl#originate}) was not answered, as the future fails with it:
 * the final SIP status (0 when none came: a ring timeout, a transaction that timed out, a send that
 * failed) and what it means for whoever placed the call. A dialer retries a busy number and a number
 * that did not answer by different rules, so the meaning is classified once, here.
 *
 * <p>An {@link IllegalStateException}, as the failure was before it had a type; its message is still
 * {@code call ended: <reason>}.
 */
public class CallFailedException extends IllegalStateException {

    /** What a failed outbound call means. */
    public enum Result {
        /** The callee refused: 486 Busy Here, 600 Busy Everywhere, 603 Decline (RFC 3261 §21.4.7, §21.6.1, §21.6.2). */
        BUSY,
        /** Nobody answered: our ring timeout (then CANCEL), 408, 480 Temporarily Unavailable, 487 after a CANCEL. */
        NO_ANSWER,
        /** Anything else: no route (403/404/484), a gateway error (5xx), no response at all, an unusable answer. */
        FAILED
    }

    private final int sipCode;
    private final Result result;

    public CallFailedException(int sipCode, Result result, String reason) {
        super("call ended: " + reason);
        this.sipCode = sipCode;
        this.result = result;
    }

    /** The failure a final response {@code code} ({@code ≥ 300}) means. */
    public static CallFailedException ofResponse(int code, String reason) {
        return new CallFailedException(code, classify(code), reason);
    }

    /** BUSY, NO_ANSWER or FAILED for a final status code. */
    public static Result classify(int code) {
        return switch (code) {
            case 486, 600, 603 -> Result.BUSY;
            case 408, 480, 487 -> Result.NO_ANSWER;
            default -> Result.FAILED;
        };
    }

    /** The final SIP status, or 0 when the call ended without one. */
    public int sipCode() {
        return sipCode;
    }

    public Result result() {
        return result;
    }
}

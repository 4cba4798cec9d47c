package org.callibry.softphone.sip;

/**
 * The account's registration as last reported: its state, the reason when it failed (for the user:
 * "wrong password", "server unreachable", "certificate not trusted" or the server's status), and the
 * lifetime the server granted.
 *
 * @param state          the state
 * @param reason         why it failed (or "" otherwise)
 * @param status         the SIP status of the last answer, 0 when none came
 * @param expiresSeconds the lifetime granted while REGISTERED, else 0
 */
public record Registration(RegistrationState state, String reason, int status, int expiresSeconds) {
    public static final String WRONG_PASSWORD = "wrong password";
    public static final String SERVER_UNREACHABLE = "server unreachable";
    public static final String CERTIFICATE_NOT_TRUSTED = "certificate not trusted";

    public Registration {
        reason = reason == null ? "" : reason;
    }

    static Registration of(RegistrationState state) {
        return new Registration(state, "", 0, 0);
    }

    static Registration failed(String reason, int status) {
        return new Registration(RegistrationState.FAILED, reason, status, 0);
    }
}

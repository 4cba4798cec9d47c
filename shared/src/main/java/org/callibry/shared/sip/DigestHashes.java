package org.callibry.shared.sip;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * HTTP digest hashes as SIP uses them. The server stores HA1 instead of passwords, one per
 * algorithm it offers, so a challenge can be answered without ever keeping the secret.
 */
public final class DigestHashes {
    private DigestHashes() {
    }

    /** HA1 = MD5(username ":" realm ":" password), RFC 2617 §3.2.2.2 as used by RFC 3261 §22.4. */
    public static String ha1Md5(String username, String realm, String password) {
        return hex("MD5", username + ":" + realm + ":" + password);
    }

    /** HA1 = SHA-256(username ":" realm ":" password), RFC 7616 §3.4.2. */
    public static String ha1Sha256(String username, String realm, String password) {
        return hex("SHA-256", username + ":" + realm + ":" + password);
    }

    /** Lower-case hex of the digest of the UTF-8 bytes of {@code text}. */
    public static String hex(String algorithm, String text) {
        try {
            MessageDigest md = MessageDigest.getInstance(algorithm);
            return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required by every Java platform", e);
        }
    }
}

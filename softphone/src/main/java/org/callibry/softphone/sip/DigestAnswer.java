package org.callibry.softphone.sip;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import org.callibry.shared.sip.DigestHashes;

/**
 * The client side of HTTP digest as SIP uses it (RFC 3261 §22.4, RFC 2617 §3.2.2, RFC 7616 for
 * SHA-256): the {@code response} value for a challenge, with or without {@code qop=auth}.
 */
public final class DigestAnswer {
    private static final SecureRandom RANDOM = new SecureRandom();

    private DigestAnswer() {
    }

    /**
     * The request-digest. With {@code qop} "auth" it is H(HA1:nonce:nc:cnonce:auth:HA2) (RFC 2617
     * §3.2.2.1), without it H(HA1:nonce:HA2) (RFC 2069 compatibility); HA2 = H(method:uri).
     *
     * @param algorithm MD5 (also when null) or SHA-256
     */
    public static String response(String algorithm, String username, String realm, String password, String method,
                                  String uri, String nonce, String qop, String nc, String cnonce) {
        String hash = hashName(algorithm);
        String ha1 = hash.equals("SHA-256") ? DigestHashes.ha1Sha256(username, realm, password)
                : DigestHashes.ha1Md5(username, realm, password);
        String ha2 = DigestHashes.hex(hash, method + ":" + uri);
        if (qop == null || qop.isBlank()) {
            return DigestHashes.hex(hash, ha1 + ":" + nonce + ":" + ha2);
        }
        return DigestHashes.hex(hash, ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":" + qop + ":" + ha2);
    }

    /** The digest algorithm of a challenge's {@code algorithm} parameter; null means MD5 (RFC 2617 §3.2.1). */
    static String hashName(String algorithm) {
        return algorithm != null && algorithm.toUpperCase(Locale.ROOT).startsWith("SHA-256") ? "SHA-256" : "MD5";
    }

    /** Whether this phone can answer a challenge with this algorithm. */
    static boolean supports(String algorithm) {
        if (algorithm == null) {
            return true;
        }
        String a = algorithm.toUpperCase(Locale.ROOT);
        return a.equals("MD5") || a.equals("SHA-256");
    }

    /** "auth" when the challenge offers it among its qop options, else null (RFC 2617 §3.2.1). */
    static String chooseQop(String qopOptions) {
        if (qopOptions == null) {
            return null;
        }
        for (String q : qopOptions.split(",")) {
            if (q.trim().equalsIgnoreCase("auth")) {
                return "auth";
            }
        }
        return null;
    }

    static String newCnonce() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}

package org.callibry.server.sip.core;

import java.nio.ByteBuffer;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.WWWAuthenticateHeader;
import org.callibry.server.directory.SipDirectory;
import org.callibry.shared.sip.DigestHashes;

/**
 * SIP digest authentication (RFC 3261 §22, RFC 7616 with MD5 and SHA-256, qop=auth). Nonces are
 * stateless: a timestamp and random bytes signed with a per-process HMAC key, so any nonce this
 * server issued can be checked without storing it, and an expired one gets {@code stale=true}.
 * Replays are refused by tracking the highest nonce-count seen per nonce until it expires.
 */
public final class DigestAuth {

    public enum Outcome { OK, STALE, BAD_NONCE, WRONG, REPLAY, NOT_SUPPORTED }

    private final HeaderFactory headers;
    private final List<String> algorithms;
    private final Duration ttl;
    private final Clock clock;
    private final byte[] key = new byte[32];
    private final SecureRandom random = new SecureRandom();
    /** Highest nonce-count seen per nonce, with the nonce's issue time for purging. */
    private final Map<String, long[]> counts = new ConcurrentHashMap<>();
    private final ThreadLocal<Mac> macs;

    public DigestAuth(HeaderFactory headers, List<String> algorithms, Duration ttl, Clock clock) {
        this.headers = headers;
        this.algorithms = algorithms.stream().map(a -> a.trim().toUpperCase(Locale.ROOT)).toList();
        this.ttl = ttl;
        this.clock = clock;
        random.nextBytes(key);
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac m = Mac.getInstance("HmacSHA256");
                m.init(new SecretKeySpec(key, "HmacSHA256"));
                return m;
            } catch (NoSuchAlgorithmException | InvalidKeyException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** The challenge headers, one per offered algorithm, as WWW-Authenticate (401) or Proxy-Authenticate (407). */
    public List<WWWAuthenticateHeader> challenge(String realm, boolean stale, boolean proxy) {
        String nonce = nonce();
        List<WWWAuthenticateHeader> out = new ArrayList<>();
        try {
            for (String algorithm : algorithms) {
                WWWAuthenticateHeader h = proxy ? headers.createProxyAuthenticateHeader("Digest")
                        : headers.createWWWAuthenticateHeader("Digest");
                h.setRealm(realm);
                h.setNonce(nonce);
                h.setAlgorithm(algorithm);
                h.setQop("auth");
                if (stale) {
                    h.setStale(true);
                }
                out.add(h);
            }
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** Checks a digest answer for {@code method} against the account's HA1 values. */
    public Outcome verify(AuthorizationHeader h, String method, SipDirectory.Credentials account) {
        String algorithm = h.getAlgorithm() == null ? "MD5" : h.getAlgorithm().toUpperCase(Locale.ROOT);
        if (!algorithms.contains(algorithm)) {
            return Outcome.NOT_SUPPORTED;
        }
        String nonce = h.getNonce();
        long issued = issuedAt(nonce);
        if (issued < 0) {
            return Outcome.BAD_NONCE;
        }
        // RFC 7616 §3.4: with qop=auth the answer binds cnonce and nc; we accept nothing weaker
        String qop = h.getQop();
        String nc = h.getParameter("nc");
        String cnonce = h.getCNonce();
        if (!"auth".equalsIgnoreCase(qop) || nc == null || cnonce == null || h.getURI() == null || h.getResponse() == null) {
            return Outcome.WRONG;
        }
        String hashName = algorithm.equals("SHA-256") ? "SHA-256" : "MD5";
        String ha1 = hashName.equals("SHA-256") ? account.ha1Sha256() : account.ha1Md5();
        String ha2 = DigestHashes.hex(hashName, method + ":" + h.getURI());
        String expected = DigestHashes.hex(hashName, ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":" + qop.toLowerCase(Locale.ROOT) + ":" + ha2);
        if (!MessageDigest.isEqual(expected.getBytes(), h.getResponse().toLowerCase(Locale.ROOT).getBytes())) {
            return Outcome.WRONG;
        }
        if (clock.millis() - issued > ttl.toMillis()) {
            return Outcome.STALE;
        }
        long count;
        try {
            count = Long.parseLong(nc, 16);
        } catch (NumberFormatException e) {
            return Outcome.WRONG;
        }
        // the nonce-count must grow (RFC 7616 §3.4.5): a repeated or lower one is a replay
        boolean[] fresh = {false};
        counts.compute(nonce, (k, last) -> {
            if (last == null || count > last[0]) {
                fresh[0] = true;
                return new long[] {count, issued};
            }
            return last;
        });
        return fresh[0] ? Outcome.OK : Outcome.REPLAY;
    }

    /** Forgets the nonce-counts of expired nonces. */
    public void purge() {
        long now = clock.millis();
        counts.values().removeIf(c -> now - c[1] > ttl.toMillis());
    }

    private String nonce() {
        ByteBuffer b = ByteBuffer.allocate(32);
        b.putLong(clock.millis());
        byte[] salt = new byte[8];
        random.nextBytes(salt);
        b.put(salt);
        b.put(mac(b.array(), 16), 0, 16);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }

    /** The issue time of a nonce this process made, or -1 if it is not one. */
    private long issuedAt(String nonce) {
        if (nonce == null) {
            return -1;
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(nonce);
        } catch (IllegalArgumentException e) {
            return -1;
        }
        if (raw.length != 32) {
            return -1;
        }
        byte[] mac = mac(raw, 16);
        if (!MessageDigest.isEqual(java.util.Arrays.copyOfRange(raw, 16, 32), java.util.Arrays.copyOf(mac, 16))) {
            return -1;
        }
        return ByteBuffer.wrap(raw).getLong();
    }

    private byte[] mac(byte[] data, int length) {
        Mac m = macs.get();
        m.update(data, 0, length);
        return m.doFinal();
    }
}

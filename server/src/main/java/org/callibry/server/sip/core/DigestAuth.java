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
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.WWWAuthenticateHeader;
import org.callibry.server.directory.SipDirectory;
import org.callibry.shared.sip.DigestHashes;

/**
 * SIP digest authentication (RFC 3261 §22, RFC 7616 with MD5 and SHA-256, qop=auth). Nonces are
 * stateless: a timestamp and a sequence number signed with a per-process HMAC key, so any nonce this
 * server issued can be checked without storing it, and an expired one gets {@code stale=true}.
 *
 * <p>Replays are refused with memory that does not grow with the load (as Kamailio's one-time nonces):
 * the highest nonce-count seen for a nonce is kept in slot {@code sequence mod }{@value #SLOTS} of one
 * array, tagged with the rest of the sequence number. A nonce whose slot a later nonce has taken is
 * answered as stale, so the phone retries with a fresh nonce at once; that happens only to a nonce
 * still used after {@value #SLOTS} newer challenges (over 2 minutes at 8,000 challenges a second).
 * Before, every used nonce had a map entry for the nonce lifetime (300 s): 2.4 million entries,
 * about 500 MB, at 8,000 registrations a second.
 */
public final class DigestAuth {

    public enum Outcome { OK, STALE, BAD_NONCE, WRONG, REPLAY, NOT_SUPPORTED }

    private final HeaderFactory headers;
    private final List<String> algorithms;
    private final Duration ttl;
    private final Clock clock;
    private final byte[] key = new byte[32];
    private final SecureRandom random = new SecureRandom();
    private static final int SLOT_BITS = 20;
    /** Replay slots: 8 MB. */
    static final int SLOTS = 1 << SLOT_BITS;
    private final int slotBits;
    private static final int NC_BITS = 24;
    private static final long NC_MASK = (1L << NC_BITS) - 1;
    /** Per slot: (sequence / SLOTS) << 24 | highest nonce-count seen; 0 = unused. */
    private final AtomicLongArray seen;
    private final AtomicLong sequence = new AtomicLong();
    private final ThreadLocal<Mac> macs;

    public DigestAuth(HeaderFactory headers, List<String> algorithms, Duration ttl, Clock clock) {
        this(headers, algorithms, ttl, clock, SLOT_BITS);
    }

    /** With {@code 2^slotBits} replay slots (tests use few). */
    DigestAuth(HeaderFactory headers, List<String> algorithms, Duration ttl, Clock clock, int slotBits) {
        this.slotBits = slotBits;
        this.seen = new AtomicLongArray(1 << slotBits);
        this.headers = headers;
        this.algorithms = algorithms.stream().map(a -> a.trim().toUpperCase(Locale.ROOT)).toList();
        this.ttl = ttl;
        this.clock = clock;
        random.nextBytes(key);
        sequence.set(random.nextLong() >>> 24); // any start; tags stay below 2^40
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
        ByteBuffer own = ownNonce(nonce);
        if (own == null) {
            return Outcome.BAD_NONCE;
        }
        long issued = own.getLong(0);
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
        if (count <= 0 || count > NC_MASK) {
            return Outcome.STALE; // a fresh nonce starts counting again
        }
        // the nonce-count must grow (RFC 7616 §3.4.5): a repeated or lower one is a replay
        long seq = own.getLong(8);
        int slot = (int) (seq & ((1 << slotBits) - 1));
        long tag = (seq >>> slotBits) + 1; // + 1: a used slot is never 0
        while (true) {
            long entry = seen.get(slot);
            long entryTag = entry >>> NC_BITS;
            if (entryTag > tag) {
                return Outcome.STALE; // a later nonce has its slot: this one is too old to tell
            }
            if (entryTag == tag && (entry & NC_MASK) >= count) {
                return Outcome.REPLAY;
            }
            if (seen.compareAndSet(slot, entry, tag << NC_BITS | count)) {
                return Outcome.OK;
            }
        }
    }

    private String nonce() {
        ByteBuffer b = ByteBuffer.allocate(32);
        b.putLong(clock.millis());
        b.putLong(sequence.getAndIncrement() & ((1L << 60) - 1));
        b.put(mac(b.array(), 16), 0, 16);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }

    /** A nonce this process made, decoded (issue time at 0, sequence number at 8), or null if it is not one. */
    private ByteBuffer ownNonce(String nonce) {
        if (nonce == null) {
            return null;
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(nonce);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (raw.length != 32) {
            return null;
        }
        byte[] mac = mac(raw, 16);
        if (!MessageDigest.isEqual(java.util.Arrays.copyOfRange(raw, 16, 32), java.util.Arrays.copyOf(mac, 16))) {
            return null;
        }
        return ByteBuffer.wrap(raw);
    }

    private byte[] mac(byte[] data, int length) {
        Mac m = macs.get();
        m.update(data, 0, length);
        return m.doFinal();
    }
}

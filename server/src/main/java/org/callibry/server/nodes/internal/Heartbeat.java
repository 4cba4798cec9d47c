package org.callibry.server.nodes.internal;

import org.callibry.server.nodes.ng.Bencode;

import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The media-node heartbeat: one UDP datagram holding a bencoded dictionary (the encoding of the ng
 * protocol), sent by a media node to each signaling node every heartbeat interval.
 * <pre>
 * d 8:capacity i1000e  2:id 7:media-1  4:load i12e  7:leaving i0e  3:mac 32:&lt;HMAC&gt;
 *   2:ng 14:10.0.0.5:2223  3:sip 14:10.0.0.5:5080  2:ts i1767225600000e  1:v i1e e
 * </pre>
 * {@code mac} is HMAC-SHA256, keyed with the shared secret, over the bencoding of the same dictionary
 * without {@code mac} (keys sorted, so the receiver recomputes it from what it decoded); empty when
 * the sender has no secret. {@code ts} is the sender's clock in milliseconds: the receiver refuses
 * heartbeats further than the allowed skew from its own clock, and the registry refuses one not newer
 * than the last it accepted from the node (replay). Without a secret the receiver accepts loopback
 * sources only. {@code leaving} is 1 in the last heartbeat of a node shutting down.
 */
final class Heartbeat {
    static final int VERSION = 1;
    /** Longest datagram accepted (a heartbeat is about 150 bytes). */
    static final int MAX_SIZE = 1200;
    private static final int MAX_TEXT = 255;

    private Heartbeat() {
    }

    /** What a media node says about itself. */
    record Announcement(String id, String ngAddress, String sipAddress, int capacity, int load, Instant timestamp,
                        boolean leaving) {
    }

    /** A heartbeat refused: malformed, unauthenticated, stale or from a source we do not trust. */
    static final class Rejected extends Exception {
        Rejected(String message) {
            super(message);
        }
    }

    /** The datagram for {@code a}, signed when {@code secret} is not null. */
    static byte[] encode(Announcement a, byte[] secret) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("v", VERSION);
        d.put("id", a.id());
        d.put("ng", a.ngAddress());
        d.put("sip", a.sipAddress() == null ? "" : a.sipAddress());
        d.put("capacity", a.capacity());
        d.put("load", a.load());
        d.put("ts", a.timestamp().toEpochMilli());
        d.put("leaving", a.leaving() ? 1 : 0);
        d.put("mac", secret == null ? new byte[0] : mac(secret, Bencode.encode(d)));
        return Bencode.encode(d);
    }

    /**
     * Decodes and checks one datagram from {@code source}: well-formed, signed with {@code secret} (or,
     * without one, from a loopback address), its timestamp within {@code maxSkew} of {@code now}.
     */
    static Announcement verify(byte[] buf, int len, InetAddress source, byte[] secret, Instant now, Duration maxSkew)
            throws Rejected {
        if (len > MAX_SIZE) {
            throw new Rejected("heartbeat of " + len + " bytes");
        }
        if (secret == null && !source.isLoopbackAddress()) {
            throw new Rejected("heartbeat from " + source.getHostAddress()
                    + " refused: without callibry.media.node.secret only loopback sources are accepted");
        }
        Map<String, Object> d;
        try {
            d = Bencode.decodeDictionary(buf, 0, len);
        } catch (IllegalArgumentException e) {
            throw new Rejected("malformed heartbeat: " + e.getMessage());
        }
        if (!(d.get("v") instanceof Long v) || v != VERSION) {
            throw new Rejected("heartbeat version " + Bencode.string(d.get("v")) + " not understood");
        }
        if (secret != null) {
            if (!(d.get("mac") instanceof byte[] mac)) {
                throw new Rejected("heartbeat without mac");
            }
            Map<String, Object> signed = new LinkedHashMap<>(d);
            signed.remove("mac");
            if (!MessageDigest.isEqual(mac, mac(secret, Bencode.encode(signed)))) {
                throw new Rejected("heartbeat with a wrong mac (secret differs?) from " + source.getHostAddress());
            }
        }
        long ts = number(d, "ts", Long.MIN_VALUE, Long.MAX_VALUE);
        Instant timestamp = Instant.ofEpochMilli(ts);
        if (Duration.between(timestamp, now).abs().compareTo(maxSkew) > 0) {
            throw new Rejected("stale heartbeat: timestamp " + timestamp + ", now " + now);
        }
        String id = text(d, "id");
        String ng = text(d, "ng");
        if (id.isEmpty() || ng.isEmpty()) {
            throw new Rejected("heartbeat without id or ng address");
        }
        try {
            NodeProperties.parseAddress(ng);
        } catch (IllegalArgumentException e) {
            throw new Rejected("heartbeat with a bad ng address: " + e.getMessage());
        }
        String sip = text(d, "sip");
        return new Announcement(id, ng, sip.isEmpty() ? null : sip, (int) number(d, "capacity", 0, Integer.MAX_VALUE),
                (int) number(d, "load", 0, Integer.MAX_VALUE), timestamp,
                d.containsKey("leaving") && number(d, "leaving", 0, 1) == 1);
    }

    private static long number(Map<String, Object> d, String key, long min, long max) throws Rejected {
        if (!(d.get(key) instanceof Long n) || n < min || n > max) {
            throw new Rejected("heartbeat: '" + key + "' missing or out of range");
        }
        return n;
    }

    private static String text(Map<String, Object> d, String key) throws Rejected {
        if (!(d.get(key) instanceof byte[] b) || b.length > MAX_TEXT) {
            throw new Rejected("heartbeat: '" + key + "' missing or too long");
        }
        return Bencode.string(b);
    }

    static byte[] mac(byte[] secret, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 not available", e);
        }
    }
}

package org.callibry.server.crm.internal;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of a webhook delivery: HMAC-SHA256 (RFC 2104) under the subscription's secret of
 * {@code <timestamp>.<body>}, sent as {@code X-Callibry-Signature: sha256=<lower-case hex>} beside
 * {@code X-Callibry-Timestamp: <unix seconds>}. The timestamp is inside the signed text, so a receiver
 * that refuses old timestamps (say, older than five minutes) cannot be fed a captured delivery again.
 */
final class WebhookSignature {
    static final String SIGNATURE_HEADER = "X-Callibry-Signature";
    static final String TIMESTAMP_HEADER = "X-Callibry-Timestamp";
    static final String EVENT_HEADER = "X-Callibry-Event";
    static final String DELIVERY_HEADER = "X-Callibry-Delivery";
    private static final String PREFIX = "sha256=";

    private WebhookSignature() {
    }

    /** {@code sha256=<hex>} of {@code <epochSeconds>.<body>} under {@code secret}. */
    static String sign(String secret, long epochSeconds, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return PREFIX + HexFormat.of().formatHex(mac.doFinal((epochSeconds + "." + body).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    /** What a receiver does: recompute and compare in constant time. */
    static boolean verify(String secret, long epochSeconds, String body, String signature) {
        return signature != null && MessageDigest.isEqual(sign(secret, epochSeconds, body).getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII));
    }
}

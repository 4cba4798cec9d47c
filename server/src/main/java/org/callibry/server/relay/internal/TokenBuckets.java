package org.callibry.server.relay.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * Token buckets per key (a source address): each key may take {@code burst} tokens at once and gets
 * {@code ratePerSecond} back per second. Memory is bounded: past {@code maxKeys} the full (idle) buckets
 * are dropped, and if that frees nothing new keys are refused until it does, so a flood from many
 * forged addresses costs a bounded map rather than the heap. Not thread-safe: one receiver thread owns it.
 */
final class TokenBuckets<K> {
    private final double ratePerNano;
    private final double burst;
    private final int maxKeys;
    private final Map<K, Bucket> buckets = new HashMap<>();

    private static final class Bucket {
        double tokens;
        long refilledAt;

        Bucket(double tokens, long refilledAt) {
            this.tokens = tokens;
            this.refilledAt = refilledAt;
        }
    }

    TokenBuckets(int ratePerSecond, int burst, int maxKeys) {
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.maxKeys = maxKeys;
    }

    /** Takes one token for {@code key} at time {@code nanos} (a monotonic clock); false when there is none. */
    boolean tryTake(K key, long nanos) {
        Bucket bucket = buckets.get(key);
        if (bucket == null) {
            if (buckets.size() >= maxKeys && !evictIdle(nanos)) {
                return false;
            }
            bucket = new Bucket(burst, nanos);
            buckets.put(key, bucket);
        } else {
            refill(bucket, nanos);
        }
        if (bucket.tokens < 1) {
            return false;
        }
        bucket.tokens -= 1;
        return true;
    }

    int size() {
        return buckets.size();
    }

    private void refill(Bucket bucket, long nanos) {
        long elapsed = Math.max(0, nanos - bucket.refilledAt);
        bucket.tokens = Math.min(burst, bucket.tokens + elapsed * ratePerNano);
        bucket.refilledAt = nanos;
    }

    private boolean evictIdle(long nanos) {
        int before = buckets.size();
        buckets.values().removeIf(b -> {
            refill(b, nanos);
            return b.tokens >= burst;
        });
        return buckets.size() < before;
    }
}

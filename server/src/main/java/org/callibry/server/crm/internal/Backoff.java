package org.callibry.server.crm.internal;

import java.time.Duration;

/**
 * When a failed webhook delivery is tried again: exponential back-off, {@code first} after the first
 * failure, doubling with each further failure, never more than {@code max}; after {@code maxAttempts}
 * attempts the delivery has failed for good.
 */
record Backoff(Duration first, Duration max, int maxAttempts) {

    Backoff {
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0 || maxAttempts < 1) {
            throw new IllegalArgumentException("back-off: first > 0, max >= first and max-attempts >= 1");
        }
    }

    /** The wait after {@code attempts} failed attempts (1 = the first), or null when none is left. */
    Duration after(int attempts) {
        if (attempts >= maxAttempts) {
            return null;
        }
        int doublings = Math.max(0, attempts - 1);
        if (doublings >= 62 || first.toMillis() > max.toMillis() >> doublings) {
            return max;
        }
        return Duration.ofMillis(first.toMillis() << doublings);
    }
}

package org.callibry.server.relay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Per-key token buckets: burst then rate, keys independent, bounded memory that frees idle keys. */
class TokenBucketsTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void allowsABurstThenTheRate() {
        TokenBuckets<String> b = new TokenBuckets<>(10, 3, 100);
        assertThat(b.tryTake("a", 0)).isTrue();
        assertThat(b.tryTake("a", 0)).isTrue();
        assertThat(b.tryTake("a", 0)).isTrue();
        assertThat(b.tryTake("a", 0)).isFalse();
        assertThat(b.tryTake("b", 0)).as("another source has its own bucket").isTrue();
        assertThat(b.tryTake("a", SECOND / 20)).isFalse(); // half a token
        assertThat(b.tryTake("a", SECOND / 10)).isTrue();
        assertThat(b.tryTake("a", 10 * SECOND)).isTrue();
        assertThat(b.tryTake("a", 10 * SECOND)).isTrue();
        assertThat(b.tryTake("a", 10 * SECOND)).isTrue();
        assertThat(b.tryTake("a", 10 * SECOND)).as("never more than the burst").isFalse();
    }

    @Test
    void boundsTheNumberOfKeys() {
        TokenBuckets<Integer> b = new TokenBuckets<>(1, 2, 3);
        for (int k = 0; k < 3; k++) {
            assertThat(b.tryTake(k, 0)).isTrue();
        }
        assertThat(b.tryTake(99, 0)).as("map full of busy keys").isFalse();
        assertThat(b.size()).isEqualTo(3);
        assertThat(b.tryTake(99, 5 * SECOND)).as("idle keys make room").isTrue();
        assertThat(b.size()).isEqualTo(1);
    }
}

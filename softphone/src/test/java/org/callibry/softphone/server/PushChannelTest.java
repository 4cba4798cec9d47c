package org.callibry.softphone.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The push channel's wait between attempts: doubling from the first, never more than the last. */
class PushChannelTest {
    private static final Duration FIRST = Duration.ofSeconds(1);
    private static final Duration LAST = Duration.ofSeconds(30);

    @Test
    void theWaitDoublesUpToTheLast() {
        assertThat(PushChannel.backoff(1, FIRST, LAST)).isEqualTo(Duration.ofSeconds(1));
        assertThat(PushChannel.backoff(2, FIRST, LAST)).isEqualTo(Duration.ofSeconds(2));
        assertThat(PushChannel.backoff(5, FIRST, LAST)).isEqualTo(Duration.ofSeconds(16));
        assertThat(PushChannel.backoff(6, FIRST, LAST)).isEqualTo(LAST);
        assertThat(PushChannel.backoff(1_000, FIRST, LAST)).as("no overflow after many failures").isEqualTo(LAST);
    }
}

package org.callibry.server.crm.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Scenarios: the first wait after one failure, doubling after each further failure, capped at the
 * maximum, none left after the last attempt (also with one attempt only), no overflow after many
 * doublings, and settings that make no sense refused.
 */
class BackoffTest {

    @Test
    void doublesFromTheFirstWaitUpToTheMaximum() {
        Backoff b = new Backoff(Duration.ofSeconds(10), Duration.ofMinutes(1), 8);
        assertThat(b.after(1)).isEqualTo(Duration.ofSeconds(10));
        assertThat(b.after(2)).isEqualTo(Duration.ofSeconds(20));
        assertThat(b.after(3)).isEqualTo(Duration.ofSeconds(40));
        assertThat(b.after(4)).isEqualTo(Duration.ofMinutes(1));
        assertThat(b.after(7)).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void noWaitIsLeftAfterTheLastAttempt() {
        assertThat(new Backoff(Duration.ofSeconds(10), Duration.ofMinutes(1), 8).after(8)).isNull();
        assertThat(new Backoff(Duration.ofSeconds(10), Duration.ofMinutes(1), 1).after(1)).isNull();
    }

    @Test
    void manyDoublingsDoNotOverflow() {
        Backoff b = new Backoff(Duration.ofMillis(200), Duration.ofHours(1), 1000);
        assertThat(b.after(64)).isEqualTo(Duration.ofHours(1));
        assertThat(b.after(500)).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void refusesSettingsThatMakeNoSense() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofMinutes(1), 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofMinutes(2), Duration.ofMinutes(1), 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1), 0)).isInstanceOf(IllegalArgumentException.class);
    }
}

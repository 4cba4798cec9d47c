package org.callibry.server.api.internal;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.callibry.server.api.RpcException;
import org.callibry.shared.api.ErrorCodes;
import org.callibry.server.testing.MutableClock;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    private final MutableClock clock = new MutableClock();
    private final LoginThrottle throttle = new LoginThrottle(new ApiProperties.Login(3, 5, Duration.ofMinutes(5)), clock);

    @Test
    void locksAUserAfterTooManyFailuresUntilTheWindowPasses() {
        for (int i = 0; i < 3; i++) {
            throttle.check("alice", "10.0.0.1");
            throttle.failed("alice", "10.0.0.1");
        }
        assertThatThrownBy(() -> throttle.check("Alice", "10.0.0.2"))
                .isInstanceOfSatisfying(RpcException.class, e -> {
                    org.assertj.core.api.Assertions.assertThat(e.code()).isEqualTo(ErrorCodes.RATE_LIMITED);
                    org.assertj.core.api.Assertions.assertThat(e.data()).containsKey("retryAfterSeconds");
                });
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        assertThatCode(() -> throttle.check("alice", "10.0.0.1")).doesNotThrowAnyException();
    }

    @Test
    void locksAnAddressThatTriesManyUsers() {
        for (int i = 0; i < 5; i++) {
            throttle.failed("user" + i, "10.0.0.9");
        }
        assertThatThrownBy(() -> throttle.check("someone-else", "10.0.0.9")).isInstanceOf(RpcException.class);
        assertThatCode(() -> throttle.check("someone-else", "10.0.0.10")).doesNotThrowAnyException();
    }

    @Test
    void aSuccessfulLoginClearsTheUsersFailures() {
        throttle.failed("bob", "10.0.0.1");
        throttle.failed("bob", "10.0.0.1");
        throttle.succeeded("bob");
        throttle.failed("bob", "10.0.0.1");
        throttle.failed("bob", "10.0.0.1");
        assertThatCode(() -> throttle.check("bob", "10.0.0.3")).doesNotThrowAnyException();
    }

    @Test
    void forgetsEmptyWindows() {
        throttle.failed("carol", "10.0.0.4");
        clock.advance(Duration.ofMinutes(6));
        throttle.evictIdle();
        assertThatCode(() -> throttle.check("carol", "10.0.0.4")).doesNotThrowAnyException();
    }
}

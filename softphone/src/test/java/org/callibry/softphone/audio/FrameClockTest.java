package org.callibry.softphone.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Scenarios: 50 ticks a second, also when each tick takes most of its 20 ms (absolute deadlines, no drift). */
class FrameClockTest {
    @Test
    void ticksFiftyTimesASecondEvenWhenTicksAreSlow() throws Exception {
        AtomicInteger fast = new AtomicInteger();
        AtomicInteger slow = new AtomicInteger();
        FrameClock a = FrameClock.start("fast", fast::incrementAndGet);
        FrameClock b = FrameClock.start("slow", () -> {
            slow.incrementAndGet();
            try {
                Thread.sleep(15);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Thread.sleep(1000);
        a.close();
        b.close();
        assertThat(fast.get()).isBetween(47, 54);
        assertThat(slow.get()).isBetween(47, 54);
        assertThat(a.ticks()).isEqualTo(fast.get());
    }
}

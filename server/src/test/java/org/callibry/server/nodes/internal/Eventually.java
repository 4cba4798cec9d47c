package org.callibry.server.nodes.internal;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition every 20 ms; returns how long it took to hold, or throws after the limit. */
final class Eventually {
    private Eventually() {
    }

    static Duration within(Duration limit, String what, BooleanSupplier condition) throws InterruptedException {
        long start = System.nanoTime();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - start > limit.toNanos()) {
                throw new AssertionError(what + ": not within " + limit.toMillis() + " ms");
            }
            Thread.sleep(20);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }
}

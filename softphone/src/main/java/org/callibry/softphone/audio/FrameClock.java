package org.callibry.softphone.audio;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Calls a task every 20 ms on its own thread. Deadlines are absolute ({@code start + n × 20 ms}), so
 * the time a tick takes or a late wake-up does not add up to drift; after a stall longer than
 * {@link #MAX_CATCH_UP} ticks the clock skips ahead rather than firing a burst.
 */
public final class FrameClock implements AutoCloseable {
    static final long PERIOD_NANOS = AudioFrame.MILLIS * 1_000_000L;
    static final int MAX_CATCH_UP = 5;

    private final Runnable tick;
    private final LongSupplier nanoTime;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long ticks;
    private volatile long skipped;

    private FrameClock(String name, Runnable tick, LongSupplier nanoTime) {
        this.tick = tick;
        this.nanoTime = nanoTime;
        this.thread = Thread.ofPlatform().name(name).daemon().unstarted(this::run);
        this.thread.setPriority(Thread.MAX_PRIORITY);
    }

    /** Starts calling {@code tick} every 20 ms on a thread named {@code name}; the first tick is immediate. */
    public static FrameClock start(String name, Runnable tick) {
        FrameClock clock = new FrameClock(name, tick, System::nanoTime);
        clock.thread.start();
        return clock;
    }

    private void run() {
        long next = nanoTime.getAsLong();
        while (running) {
            long now = nanoTime.getAsLong();
            long wait = next - now;
            if (wait > 0) {
                LockSupport.parkNanos(wait);
                continue;
            }
            if (-wait > MAX_CATCH_UP * PERIOD_NANOS) {
                long behind = -wait / PERIOD_NANOS;
                skipped += behind;
                next += behind * PERIOD_NANOS;
            }
            try {
                tick.run();
            } catch (RuntimeException e) {
                System.getLogger(FrameClock.class.getName())
                        .log(System.Logger.Level.WARNING, "audio tick failed", e);
            }
            ticks++;
            next += PERIOD_NANOS;
        }
    }

    /** Ticks run so far. */
    public long ticks() {
        return ticks;
    }

    /** Ticks skipped after stalls. */
    public long skipped() {
        return skipped;
    }

    /** Stops the clock and waits for the tick in progress to end. */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        if (Thread.currentThread() != thread) {
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

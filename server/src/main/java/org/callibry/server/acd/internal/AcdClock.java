package org.callibry.server.acd.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The ACD's time: wall-clock time plus an offset that tests move forward ({@link #advance}), and one
 * timer thread for wrap-ups, ring timeouts, announcements, maximum waits and callback retries. A test
 * that advances the clock fires every timer now due at once, so wrap-ups and timeouts take no real
 * waiting in the suite. Tasks run on the timer thread and must not block.
 */
@Component
class AcdClock implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AcdClock.class);

    /** A scheduled task; {@link #cancel()} before it runs keeps it from running. */
    static final class Timer implements Comparable<Timer> {
        private final long due;
        private final long seq;
        private final Runnable task;
        private volatile boolean cancelled;

        private Timer(long due, long seq, Runnable task) {
            this.due = due;
            this.seq = seq;
            this.task = task;
        }

        void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(Timer o) {
            return due != o.due ? Long.compare(due, o.due) : Long.compare(seq, o.seq);
        }
    }

    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final AtomicLong seq = new AtomicLong();
    private volatile long offsetNanos;
    private final Thread thread;
    private volatile boolean closed;

    AcdClock() {
        thread = Thread.ofPlatform().name("acd-timers").daemon().start(this::run);
    }

    /** Now, as the ACD sees it. */
    Instant now() {
        return Instant.now().plusNanos(offsetNanos);
    }

    private long nanos() {
        return System.nanoTime() + offsetNanos;
    }

    /** Runs {@code task} after {@code delay} of ACD time. */
    Timer schedule(Duration delay, Runnable task) {
        Timer t = new Timer(nanos() + Math.max(0, delay.toNanos()), seq.incrementAndGet(), task);
        synchronized (timers) {
            timers.add(t);
            timers.notifyAll();
        }
        return t;
    }

    /** Moves ACD time forward by {@code d} (tests): the timers now due run at once, in order. */
    void advance(Duration d) {
        synchronized (timers) {
            offsetNanos += d.toNanos();
            timers.notifyAll();
        }
    }

    private void run() {
        while (!closed) {
            Timer next;
            synchronized (timers) {
                next = timers.peek();
                long wait = next == null ? 1_000_000_000L : next.due - nanos();
                if (next == null || wait > 0) {
                    try {
                        timers.wait(Math.max(1, wait / 1_000_000), (int) Math.max(0, wait % 1_000_000));
                    } catch (InterruptedException e) {
                        return;
                    }
                    continue;
                }
                timers.poll();
            }
            if (!next.cancelled) {
                try {
                    next.task.run();
                } catch (RuntimeException e) {
                    log.warn("ACD timer task failed", e);
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}

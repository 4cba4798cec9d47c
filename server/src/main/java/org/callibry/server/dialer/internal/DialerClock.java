package org.callibry.server.dialer.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The dialer's time: wall-clock time plus an offset that tests move forward ({@link #advance}), and one
 * timer thread (the 2-second rule of predictive calls, pacing every 15 s). Retries minutes apart, the
 * schedule window and the 72-hour rule compare stored times with {@link #now()}, so a test that advances
 * the clock sees them come due without waiting. Tasks run on the timer thread and must not block.
 */
@Component
class DialerClock implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DialerClock.class);

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

    DialerClock() {
        thread = Thread.ofPlatform().name("dialer-timers").daemon().start(this::run);
    }

    /** Now, as the dialer sees it. */
    Instant now() {
        return Instant.now().plusNanos(offsetNanos);
    }

    /** A monotonic reading in nanoseconds that moves with {@link #advance}. */
    long nanos() {
        return System.nanoTime() + offsetNanos;
    }

    /** Runs {@code task} after {@code delay} of dialer time. */
    Timer schedule(Duration delay, Runnable task) {
        Timer t = new Timer(nanos() + Math.max(0, delay.toNanos()), seq.incrementAndGet(), task);
        synchronized (timers) {
            timers.add(t);
            timers.notifyAll();
        }
        return t;
    }

    /** Moves dialer time forward by {@code d} (tests): the timers now due run at once, in order. */
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
                    log.warn("Dialer timer task failed", e);
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

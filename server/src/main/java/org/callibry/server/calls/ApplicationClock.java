package org.callibry.server.calls;

import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A media application's time (the ACD's, the dialer's): wall-clock time plus an offset that tests move
 * forward ({@link #advance}), and one timer thread. A test that advances the clock fires every timer now
 * due at once, so wrap-ups, ring timeouts, retries and pacing take no real waiting in the suite. Tasks run
 * on the timer thread and must not block.
 */
public class ApplicationClock implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ApplicationClock.class);

    /** A scheduled task; {@link #cancel()} before it runs keeps it from running. */
    public static final class Timer implements Comparable<Timer> {
        private final long due;
        private final long seq;
        private final Runnable task;
        private volatile boolean cancelled;

        private Timer(long due, long seq, Runnable task) {
            this.due = due;
            this.seq = seq;
            this.task = task;
        }

        public void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(Timer o) {
            return due != o.due ? Long.compare(due, o.due) : Long.compare(seq, o.seq);
        }
    }

    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final AtomicLong seq = new AtomicLong();
    private final String owner;
    private volatile long offsetNanos;
    private final Thread thread;
    private volatile boolean closed;

    /** {@code owner} names the timer thread ({@code <owner>-timers}) and failing tasks in the log. */
    protected ApplicationClock(String owner) {
        this.owner = owner;
        thread = Thread.ofPlatform().name(owner + "-timers").daemon().start(this::run);
    }

    /** Now, as the application sees it. */
    public Instant now() {
        return Instant.now().plusNanos(offsetNanos);
    }

    /** A monotonic reading in nanoseconds that moves with {@link #advance}. */
    public long nanos() {
        return System.nanoTime() + offsetNanos;
    }

    /** Runs {@code task} after {@code delay} of the application's time. */
    public Timer schedule(Duration delay, Runnable task) {
        Timer t = new Timer(nanos() + Math.max(0, delay.toNanos()), seq.incrementAndGet(), task);
        synchronized (timers) {
            timers.add(t);
            timers.notifyAll();
        }
        return t;
    }

    /** Moves the application's time forward by {@code d} (tests): the timers now due run at once, in order. */
    public void advance(Duration d) {
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
                    log.warn("{} timer task failed", owner, e);
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

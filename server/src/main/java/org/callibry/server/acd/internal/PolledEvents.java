package org.callibry.server.acd.internal;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs what the SIP threads hand to the ACD on one thread of its own, in the order handed. The SIP
 * thread only adds to a lock-free queue and never wakes the consumer: waking a parked thread is a
 * system call and a context switch on the publisher's core, paid for every call's start and end, where
 * the consumer looking every {@link #POLL_MILLIS} ms costs a few hundred wake-ups a second whatever the
 * load. An agent's busy state may thus follow its call by that much, as it already followed it
 * asynchronously.
 */
final class PolledEvents implements Executor {
    private static final Logger log = LoggerFactory.getLogger(PolledEvents.class);
    static final long POLL_MILLIS = 5;

    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean stopped;

    PolledEvents(String threadName) {
        thread = Thread.ofPlatform().name(threadName).daemon().start(this::run);
    }

    /** Runs what was handed so far, then ends the thread; later tasks are not run. */
    void stop() {
        stopped = true;
        LockSupport.unpark(thread);
    }

    @Override
    public void execute(Runnable task) {
        queue.add(task);
    }

    private void run() {
        boolean last = false;
        while (!last) {
            last = stopped;
            Runnable task;
            while ((task = queue.poll()) != null) {
                try {
                    task.run();
                } catch (RuntimeException | Error e) {
                    log.error("ACD event failed: {}", e.toString(), e);
                }
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS));
        }
    }
}

package org.callibry.server.sip.internal;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.stack.SIPServerTransactionImpl;
import gov.nist.javax.sip.stack.SIPStackTimerTask;
import gov.nist.javax.sip.stack.timers.SipTimer;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SIP stack's timer ({@code gov.nist.javax.sip.TIMER_CLASS_NAME}): a hashed timing wheel on one thread in
 * place of the RI's {@code java.util.Timer}, and a shorter Timer J.
 *
 * <p><b>The wheel.</b> Every live transaction of the RI has a task that fires every 500 ms, so at 2,000
 * calls/s some 30,000 tasks fire 60,000 times a second. {@code java.util.Timer} keeps them in one binary
 * heap: each firing re-sorts it (about 15 writes spread over a 30,000-slot array that has long been in the
 * old generation, each one a card the collector must scan), under one lock shared with every thread that
 * schedules. Here a task goes into one of {@value #SLOTS} lists by its due tick of {@value #TICK_MILLIS} ms
 * ({@code due % SLOTS}; a task due after more than one turn of the wheel waits its turns in the list), and
 * firing or rescheduling one costs a few writes. Threads that schedule only append to an inbox that the
 * timer thread empties each tick; a cancelled task is marked and dropped when its list is next walked. Due
 * times are rounded up to the next tick, and a task runs on the timer thread, as with the RI's timer.
 *
 * <p><b>Timer J.</b> A non-INVITE server transaction that sent its final answer over UDP stays
 * {@value #COMPLETED_WAIT} (callibry.sip.completed-transaction-wait, 5 s by default) instead of RFC 3261's
 * Timer J of 64 × T1 = 32 s. Timer J only absorbs retransmissions of a request whose answer was lost; a UAC
 * retransmits at 0.5, 1, 2, 4, 4, ... s, so after 5 s one would need four answers in a row lost, and then
 * the request is simply processed again (a BYE for a dialog already gone is answered 481 by the far end).
 * Kamailio keeps a finished transaction 5 s for the same reason ({@code wait_timer}). Kept 32 s, every BYE's
 * transaction with its request and answer was the largest part of the live heap under load (32,000 of them
 * at 1,000 calls/s), and the collector's work grew with it. The RI gives no hook for Timer J: its task is an
 * anonymous class in {@code SIPServerTransactionImpl.startTransactionTimerJ}, recognised here by that
 * enclosing method.
 */
public class LeanSipTimer implements SipTimer {
    private static final Logger log = LoggerFactory.getLogger(LeanSipTimer.class);
    /** Stack property: the wait in milliseconds. */
    public static final String COMPLETED_WAIT = "org.callibry.sip.COMPLETED_TRANSACTION_WAIT_MS";
    static final int TICK_MILLIS = 5;
    /** A turn of 5.12 s: the RI's 500 ms timers and Timer J within one or two. */
    static final int SLOTS = 1024;
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS);

    private static final ClassValue<Boolean> TIMER_J = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            Method m = type.getEnclosingMethod();
            return m != null && m.getDeclaringClass() == SIPServerTransactionImpl.class
                    && m.getName().equals("startTransactionTimerJ");
        }
    };

    /** One scheduling of a task: the RI keeps it on the task ({@link SIPStackTimerTask#setSipTimerTask}). */
    static final class Entry {
        final SIPStackTimerTask task;
        final long periodTicks; // 0: once
        long due; // in ticks since the wheel's start; written by the scheduling thread, then the timer thread only
        Entry next; // the timer thread's
        volatile boolean cancelled;

        Entry(SIPStackTimerTask task, long due, long periodTicks) {
            this.task = task;
            this.due = due;
            this.periodTicks = periodTicks;
        }
    }

    private final Entry[] slots;
    private final int mask;
    private final Object inboxLock = new Object();
    private List<Entry> inbox = new ArrayList<>();
    private List<Entry> spare = new ArrayList<>();
    private volatile long origin;
    private volatile boolean started;
    private volatile Thread thread;
    private long tick; // the last tick processed: the timer thread's
    private volatile long completedWaitMillis = 32_000;

    public LeanSipTimer() {
        this(SLOTS);
    }

    /** A wheel of {@code slots} lists (a power of 2). */
    LeanSipTimer(int slots) {
        if (Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots " + slots + " is not a power of 2");
        }
        this.slots = new Entry[slots];
        this.mask = slots - 1;
    }

    @Override
    public void start(SipStackImpl sipStack, Properties configurationProperties) {
        if (thread != null) {
            throw new IllegalStateException("A SIP stack's timer starts once"); // as the RI's java.util.Timer
        }
        String wait = configurationProperties.getProperty(COMPLETED_WAIT);
        if (wait != null) {
            completedWaitMillis = Math.max(0, Long.parseLong(wait.strip()));
        }
        origin = System.nanoTime();
        started = true;
        String name = configurationProperties.getProperty("javax.sip.STACK_NAME", "sip");
        thread = Thread.ofPlatform().name("sip-timer-" + name).daemon().start(this::run);
    }

    @Override
    public void stop() {
        started = false;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    @Override
    public boolean isStarted() {
        return started;
    }

    @Override
    public boolean schedule(SIPStackTimerTask task, long delay) {
        return add(task, isTimerJ(task.getClass()) ? Math.min(delay, completedWaitMillis) : delay, 0);
    }

    @Override
    public boolean scheduleWithFixedDelay(SIPStackTimerTask task, long delay, long period) {
        if (period <= 0) {
            throw new IllegalArgumentException("period " + period);
        }
        return add(task, delay, Math.max(1, ceilTicks(TimeUnit.MILLISECONDS.toNanos(period))));
    }

    @Override
    public boolean cancel(SIPStackTimerTask task) {
        if (!(task.getSipTimerTask() instanceof Entry e) || e.task != task || e.cancelled) {
            return false;
        }
        e.cancelled = true;
        task.cleanUpBeforeCancel();
        return true;
    }

    private boolean add(SIPStackTimerTask task, long delayMillis, long periodTicks) {
        if (!started) {
            throw new IllegalStateException("The SIP stack's timer is stopped");
        }
        if (delayMillis < 0) {
            throw new IllegalArgumentException("delay " + delayMillis);
        }
        long due = ceilTicks(System.nanoTime() - origin + TimeUnit.MILLISECONDS.toNanos(delayMillis));
        Entry e = new Entry(task, due, periodTicks);
        task.setSipTimerTask(e);
        synchronized (inboxLock) {
            inbox.add(e);
        }
        return true;
    }

    private static long ceilTicks(long nanos) {
        return (nanos + TICK_NANOS - 1) / TICK_NANOS;
    }

    private void run() {
        try {
            while (started) {
                long now = currentTick();
                if (now <= tick) {
                    Thread.interrupted(); // a stray interrupt would make parkNanos return at once, forever
                    LockSupport.parkNanos(origin + (tick + 1) * TICK_NANOS - System.nanoTime());
                    continue;
                }
                takeInbox();
                while (tick < now && started) { // one tick at a time, so none is skipped after a pause
                    tick++;
                    fire(tick);
                }
            }
        } catch (Throwable t) {
            log.error("The SIP stack's timer stopped: no transaction timer fires any more", t);
            throw t;
        } finally {
            started = false; // schedule() refuses from now on, rather than filling an inbox nobody empties
            synchronized (inboxLock) {
                inbox.clear();
            }
            Arrays.fill(slots, null);
        }
    }

    private long currentTick() {
        return (System.nanoTime() - origin) / TICK_NANOS;
    }

    private void takeInbox() {
        List<Entry> taken;
        synchronized (inboxLock) {
            taken = inbox;
            inbox = spare;
        }
        for (Entry e : taken) {
            if (!e.cancelled) {
                place(e, Math.max(e.due, tick + 1));
            }
        }
        taken.clear();
        spare = taken;
    }

    private void place(Entry e, long due) {
        e.due = due;
        int slot = (int) (due & mask);
        e.next = slots[slot];
        slots[slot] = e;
    }

    /** Runs what is due at {@code now} in its slot; what is due in a later turn goes back into it. */
    private void fire(long now) {
        int slot = (int) (now & mask);
        Entry e = slots[slot];
        slots[slot] = null;
        while (e != null) {
            Entry next = e.next;
            if (e.cancelled) {
                e.next = null;
            } else if (e.due > now) {
                place(e, e.due);
            } else {
                e.next = null;
                try {
                    e.task.runTask();
                } catch (Throwable t) {
                    log.warn("A SIP stack timer task failed", t);
                }
                if (e.periodTicks > 0 && !e.cancelled) {
                    // from the time it ran, as java.util.Timer's fixed delay: after a pause, one run, not a burst
                    place(e, Math.max(now, currentTick()) + e.periodTicks);
                }
            }
            e = next;
        }
    }

    /** Whether tasks of this class are a server transaction's Timer J. */
    static boolean isTimerJ(Class<?> taskClass) {
        return TIMER_J.get(taskClass);
    }
}

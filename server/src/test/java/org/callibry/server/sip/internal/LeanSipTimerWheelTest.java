package org.callibry.server.sip.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gov.nist.javax.sip.stack.SIPStackTimerTask;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link LeanSipTimer}'s wheel does what the RI's {@code java.util.Timer} did for the stack: a task runs once,
 * not before its delay, in the order of the delays; a periodic one runs until cancelled; a cancelled one
 * never runs and is told so; a failing one does not stop the others; a task due after several turns of the
 * wheel waits them out; a stopped timer refuses work.
 */
class LeanSipTimerWheelTest {
    private LeanSipTimer timer;

    private LeanSipTimer start(int slots) {
        timer = new LeanSipTimer(slots);
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", "wheel-test");
        timer.start(null, p);
        return timer;
    }

    @AfterEach
    void stop() {
        if (timer != null) {
            timer.stop();
        }
    }

    /** A task that records when it ran, and how often. */
    private static class Probe extends SIPStackTimerTask {
        final String name;
        final BlockingQueue<String> log;
        final AtomicInteger runs = new AtomicInteger();
        volatile boolean told;
        volatile long ranAt;

        Probe(String name, BlockingQueue<String> log) {
            this.name = name;
            this.log = log;
        }

        @Override
        public void runTask() {
            runs.incrementAndGet();
            ranAt = System.nanoTime();
            log.add(name);
        }

        @Override
        public void cleanUpBeforeCancel() {
            told = true;
        }

        @Override
        public Object getThreadHash() {
            return null;
        }
    }

    @Test
    void tasksRunOnceNotBeforeTheirDelayInTheOrderOfTheirDelays() throws Exception {
        start(LeanSipTimer.SLOTS);
        BlockingQueue<String> log = new LinkedBlockingQueue<>();
        long start = System.nanoTime();
        Probe late = new Probe("late", log);
        Probe early = new Probe("early", log);
        Probe now = new Probe("now", log);
        timer.schedule(late, 300);
        timer.schedule(early, 100);
        timer.schedule(now, 0);
        assertThat(List.of(poll(log), poll(log), poll(log))).containsExactly("now", "early", "late");
        assertThat(TimeUnit.NANOSECONDS.toMillis(early.ranAt - start)).isGreaterThanOrEqualTo(100);
        assertThat(TimeUnit.NANOSECONDS.toMillis(late.ranAt - start)).isGreaterThanOrEqualTo(300);
        assertThat(log.poll(300, TimeUnit.MILLISECONDS)).as("each ran once").isNull();
        assertThat(List.of(late.runs.get(), early.runs.get(), now.runs.get())).containsOnly(1);
    }

    @Test
    void aPeriodicTaskRunsUntilCancelledAndIsToldOfTheCancel() throws Exception {
        start(LeanSipTimer.SLOTS);
        BlockingQueue<String> log = new LinkedBlockingQueue<>();
        Probe periodic = new Probe("tick", log);
        timer.scheduleWithFixedDelay(periodic, 20, 20);
        for (int i = 0; i < 5; i++) {
            assertThat(poll(log)).isEqualTo("tick");
        }
        assertThat(timer.cancel(periodic)).isTrue();
        assertThat(periodic.told).isTrue();
        Thread.sleep(100); // one may have been running as it was cancelled
        log.clear();
        int runs = periodic.runs.get();
        assertThat(log.poll(300, TimeUnit.MILLISECONDS)).as("no run after the cancel").isNull();
        assertThat(periodic.runs).hasValue(runs);
        assertThat(timer.cancel(periodic)).as("cancelled already").isFalse();
    }

    @Test
    void aCancelledTaskNeverRuns() throws Exception {
        start(LeanSipTimer.SLOTS);
        BlockingQueue<String> log = new LinkedBlockingQueue<>();
        Probe cancelled = new Probe("cancelled", log);
        Probe kept = new Probe("kept", log);
        timer.schedule(cancelled, 500); // long enough that a busy machine still cancels it in time
        timer.schedule(kept, 700);
        assertThat(timer.cancel(cancelled)).isTrue();
        assertThat(poll(log)).isEqualTo("kept");
        assertThat(cancelled.runs).hasValue(0);
        assertThat(cancelled.told).isTrue();
    }

    @Test
    void aTaskDueAfterSeveralTurnsWaitsThemOut() throws Exception {
        start(8); // a turn of 40 ms
        BlockingQueue<String> log = new LinkedBlockingQueue<>();
        long start = System.nanoTime();
        Probe far = new Probe("far", log);
        Probe every = new Probe("every", log);
        timer.schedule(far, 250);
        timer.scheduleWithFixedDelay(every, 40, 40); // one turn: it comes back to its own slot as it is walked
        List<String> seen = new CopyOnWriteArrayList<>();
        while (!seen.contains("far")) {
            seen.add(poll(log));
        }
        assertThat(TimeUnit.NANOSECONDS.toMillis(far.ranAt - start)).isGreaterThanOrEqualTo(250);
        Thread.sleep(100); // two turns more: a second run would show
        assertThat(far.runs).hasValue(1);
        assertThat(seen.stream().filter("every"::equals).count()).as("the periodic one ran its turns meanwhile").isGreaterThanOrEqualTo(4);
    }

    @Test
    void aPeriodicTaskRunsOnceAfterAPauseNotOncePerPeriodMissed() throws Exception {
        start(LeanSipTimer.SLOTS);
        BlockingQueue<String> log = new LinkedBlockingQueue<>();
        Probe periodic = new Probe("tick", log);
        timer.scheduleWithFixedDelay(periodic, 20, 20);
        assertThat(poll(log)).isEqualTo("tick");
        AtomicInteger runsAtPause = new AtomicInteger();
        long[] pauseEnd = new long[1];
        CountDownLatch paused = new CountDownLatch(1);
        timer.schedule(new Probe("pause", log) {
            @Override
            public void runTask() {
                runsAtPause.set(periodic.runs.get());
                try {
                    Thread.sleep(300); // the timer thread held up, as by a slow task or a long GC pause: 15 periods
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                pauseEnd[0] = System.nanoTime();
                paused.countDown();
            }
        }, 0);
        assertThat(paused.await(5, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(60);
        long since = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - pauseEnd[0]);
        int runs = periodic.runs.get() - runsAtPause.get();
        timer.cancel(periodic);
        // one run for the pause, then one per period since it ended (java.util.Timer's fixed delay); a wheel that
        // replayed the missed periods would show 15 more
        assertThat(runs).as("runs in the %d ms since the pause", since).isBetween(1, (int) (2 + since / 20));
    }

    @Test
    void aFailingTaskDoesNotStopTheOthers() throws Exception {
        start(LeanSipTimer.SLOTS);
        BlockingQueue<String> log = new LinkedBlockingQueue<>();
        timer.schedule(new Probe("boom", log) {
            @Override
            public void runTask() {
                throw new IllegalStateException("a task that fails");
            }
        }, 10);
        timer.schedule(new Probe("after", log), 50);
        assertThat(poll(log)).isEqualTo("after");
    }

    @Test
    void aStoppedTimerRefusesWorkAndEndsItsThread() throws Exception {
        start(LeanSipTimer.SLOTS);
        CountDownLatch ran = new CountDownLatch(1);
        timer.schedule(new Probe("x", new LinkedBlockingQueue<>()) {
            @Override
            public void runTask() {
                ran.countDown();
            }
        }, 0);
        assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
        timer.stop();
        assertThat(timer.isStarted()).isFalse();
        assertThatThrownBy(() -> timer.schedule(new Probe("late", new LinkedBlockingQueue<>()), 10))
                .isInstanceOf(IllegalStateException.class);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("sip-timer-wheel-test"))
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("sip-timer-wheel-test"));
    }

    private static String poll(BlockingQueue<String> log) throws InterruptedException {
        String s = log.poll(5, TimeUnit.SECONDS);
        assertThat(s).as("a task ran within 5 s").isNotNull();
        return s;
    }
}

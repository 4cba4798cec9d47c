package org.callibry.server.dialer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A working day of a predictive agent campaign, simulated second by second against {@link Pacing}
 * (no SIP, no clock: the simulation is the clock). Scenarios:
 * <ul>
 *   <li>a day with a steady answer rate keeps abandons under the 3 % cap, keeps agents busier and
 *       connects more calls than progressive dialing (one call per free agent);</li>
 *   <li>the answer rate jumping mid-day (more people pick up) causes drops; the level is halved or
 *       falls back to progressive, with that reason, and the day stays under the cap;</li>
 *   <li>a stricter cap (1 %) is kept as well.</li>
 * </ul>
 * Twenty agents. Calls: answered with probability {@code p} after 3-15 s of ringing, else given up after the ring
 * timeout (20 s); an answered call takes a free agent at once or within 2 s, else it is abandoned;
 * agents talk an exponential time (mean 120 s, at least 10 s) then wrap up 5 s.
 */
class PacingSimulationTest {
    static final int AGENTS = 20;
    static final int RING_TIMEOUT = 20;
    static final int MAX_CONCURRENT = 60;

    /** What a simulated day gave. */
    record Day(long dialled, long answered, long abandoned, double occupancy, List<String> reasons) {
        double abandonPercent() {
            return 100.0 * abandoned / Math.max(1, answered);
        }

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "%d dialled, %d answered, %d abandoned (%.2f %%), occupancy %.1f %%, %d level changes",
                    dialled, answered, abandoned, abandonPercent(), occupancy * 100, reasons.size());
        }
    }

    static final class Call {
        final int answerAt;
        final int endAt;
        final boolean answers;

        Call(int answerAt, int endAt, boolean answers) {
            this.answerAt = answerAt;
            this.endAt = endAt;
            this.answers = answers;
        }
    }

    /** Simulates {@code hours}; {@code answerRate} is p before {@code switchAt} seconds and {@code laterRate} after. */
    static Day simulate(long seed, int hours, double answerRate, double laterRate, int switchAt, double cap, boolean predictive) {
        SplittableRandom random = new SplittableRandom(seed);
        Instant start = Instant.parse("2026-12-07T09:00:00Z");
        Pacing pacing = new Pacing(cap, 1.0, start);
        int[] agentFreeAt = new int[AGENTS];
        List<Call> ringing = new ArrayList<>();
        Deque<Integer> waiting = new ArrayDeque<>(); // answered at
        long dialled = 0;
        long answered = 0;
        long abandoned = 0;
        long talk = 0;
        List<String> reasons = new ArrayList<>();
        int end = hours * 3600;
        for (int t = 0; t < end; t++) {
            Instant now = start.plusSeconds(t);
            // calls answered or given up this second
            for (var it = ringing.iterator(); it.hasNext(); ) {
                Call c = it.next();
                if (c.answers && c.answerAt == t) {
                    it.remove();
                    answered++;
                    pacing.rang(true, c.answerAt - (c.endAt - RING_TIMEOUT), now);
                    waiting.addLast(t);
                } else if (!c.answers && c.endAt == t) {
                    it.remove();
                    pacing.rang(false, RING_TIMEOUT, now);
                }
            }
            // free agents take the answered calls waiting; those waiting longer than 2 s are abandoned
            for (int a = 0; a < AGENTS && !waiting.isEmpty(); a++) {
                if (agentFreeAt[a] <= t) {
                    waiting.pollFirst();
                    int handle = Math.max(10, (int) Math.round(-120 * Math.log(1 - random.nextDouble())));
                    talk += handle;
                    pacing.handled(handle);
                    agentFreeAt[a] = t + handle + 5;
                }
            }
            while (!waiting.isEmpty() && t - waiting.peekFirst() >= 2) {
                waiting.pollFirst();
                abandoned++;
                pacing.abandoned(now);
            }
            int free = 0;
            for (int a = 0; a < AGENTS; a++) {
                if (agentFreeAt[a] <= t) {
                    free++;
                }
            }
            pacing.sample(free, waiting.size());
            int lines = predictive ? pacing.lines(free, AGENTS - free, waiting.size(), ringing.size())
                    : Math.max(0, free - waiting.size() - ringing.size());
            lines = Math.min(lines, MAX_CONCURRENT - ringing.size());
            double p = t < switchAt ? answerRate : laterRate;
            for (int i = 0; i < lines; i++) {
                dialled++;
                boolean answers = random.nextDouble() < p;
                ringing.add(new Call(t + 3 + random.nextInt(13), t + RING_TIMEOUT, answers));
            }
            if (predictive && t > 0 && t % Pacing.ADJUST_SECONDS == 0 && pacing.adjust(now)) {
                reasons.add(pacing.reason());
            }
        }
        return new Day(dialled, answered, abandoned, (double) talk / (AGENTS * (double) end), reasons);
    }

    @Test
    void aSteadyDayStaysUnderTheCapAndKeepsAgentsBusierThanProgressive() {
        Day predictive = simulate(1, 8, 0.3, 0.3, Integer.MAX_VALUE, 3.0, true);
        Day progressive = simulate(1, 8, 0.3, 0.3, Integer.MAX_VALUE, 3.0, false);
        assertThat(predictive.abandonPercent()).as("abandoned %% of %s", predictive).isLessThanOrEqualTo(3.0);
        assertThat(progressive.abandoned()).isZero();
        assertThat(predictive.occupancy()).as("occupancy predictive %s vs progressive %s", predictive, progressive)
                .isGreaterThan(progressive.occupancy() + 0.05);
        assertThat(predictive.answered() - predictive.abandoned()).as("connected calls, predictive vs progressive")
                .isGreaterThan((long) (1.1 * progressive.answered()));
        assertThat(predictive.reasons()).anyMatch(r -> r.contains("raised"));
    }

    @Test
    void excessDropsHalveTheLevel() {
        // a low answer rate all morning lets the level climb; then everyone answers
        Day day = simulate(7, 8, 0.2, 0.45, 3 * 3600, 3.0, true);
        assertThat(day.reasons()).anyMatch(r -> r.contains("halved") || r.contains("progressive"));
        assertThat(day.abandonPercent()).as("abandoned %% of %s", day).isLessThanOrEqualTo(3.0);
    }

    @Test
    void aStricterCapIsKept() {
        Day day = simulate(3, 8, 0.3, 0.3, Integer.MAX_VALUE, 1.0, true);
        assertThat(day.abandonPercent()).as("abandoned %% of %s", day).isLessThanOrEqualTo(1.0);
        Day progressive = simulate(3, 8, 0.3, 0.3, Integer.MAX_VALUE, 1.0, false);
        assertThat(day.occupancy()).isGreaterThan(progressive.occupancy());
    }
}

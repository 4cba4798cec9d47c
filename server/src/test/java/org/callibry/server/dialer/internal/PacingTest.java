package org.callibry.server.dialer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The predictive decision rule by rule, with the reasons word for word. Scenarios: a campaign starts
 * progressive, where only the free agents count (minus callers waiting and calls ringing); above it the busy agents about to be free
 * count too; idle agents raise the level; excess drops in an interval halve it; an abandon that brings the
 * 30-day rate to 90 % of the cap falls back to progressive until the rate is under 80 %; the 30-day window
 * forgets older days and restores earlier ones.
 */
class PacingTest {
    static final Instant T = Instant.parse("2026-12-07T10:00:00Z");

    /** A pacing that measured a 25 % answer rate over 400 calls ringing 20 s each and handle times of 100 s. */
    static Pacing measured(double cap) {
        Pacing p = new Pacing(cap, 1.0, T);
        for (int i = 0; i < 400; i++) {
            p.rang(i % 4 == 0, 20, T.minusSeconds(86_400)); // yesterday: answers without abandons
        }
        for (int i = 0; i < 50; i++) {
            p.handled(100);
        }
        return p;
    }

    @Test
    void atLevelOneOnlyFreeAgentsCount() {
        Pacing p = measured(3.0);
        assertThat(p.level()).isEqualTo(1.0);
        assertThat(p.lines(5, 10, 0, 0)).isEqualTo(5);
        assertThat(p.lines(5, 10, 1, 2)).isEqualTo(2);
        assertThat(p.lines(0, 10, 0, 0)).isZero();
        assertThat(p.lines(1, 0, 3, 0)).isZero();
    }

    @Test
    void idleAgentsRaiseTheLevelAndBusyAgentsAboutToBeFreeCount() {
        Pacing p = measured(3.0);
        for (int i = 0; i < 10; i++) {
            p.sample(2, 0);
        }
        assertThat(p.adjust(T)).isTrue();
        double raised = 1 + 0.05 / p.answerRate(); // a 25 % answer rate: 0.05 more expected answers per agent is 0.2 more lines
        assertThat(p.reason()).isEqualTo(String.format(java.util.Locale.ROOT,
                "1.00 → %.2f: agents waited for calls (2.0 free on average), abandon rate 0.00 %%: raised", raised));
        assertThat(p.level()).isEqualTo(raised, org.assertj.core.data.Offset.offset(1e-9)).isBetween(1.19, 1.21);
        // 2 free + 10 busy × 20 s ÷ 100 s = 4 expected free; × 1.2 = 4.8 → 4 lines, minus 1 ringing
        assertThat(p.lines(2, 10, 0, 1)).isEqualTo(3);
        assertThat(p.adjust(T.plusSeconds(15))).as("no samples: nothing to raise on").isFalse();
    }

    @Test
    void excessDropsHalveTheLevel() {
        Pacing p = measured(3.0);
        for (int round = 0; round < 6; round++) {
            for (int i = 0; i < 10; i++) {
                p.sample(3, 0);
            }
            p.adjust(T.plusSeconds(15L * round));
        }
        double before = p.level();
        assertThat(before).isGreaterThan(2.0);
        for (int i = 0; i < 20; i++) {
            p.rang(true, 10, T.plusSeconds(100));
        }
        p.abandoned(T.plusSeconds(101));
        double atAdjust = p.level(); // more answers: a higher answer rate, fewer lines per agent already
        assertThat(atAdjust).isLessThan(before);
        assertThat(p.adjust(T.plusSeconds(105))).isTrue();
        assertThat(p.level()).isEqualTo(Math.max(1.0, atAdjust / 2), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(p.reason()).isEqualTo(String.format(java.util.Locale.ROOT,
                "%.2f → %.2f: excess drops, 1 of 20 answers in the last 15 s abandoned (30 days: 0.83 %%): halved", atAdjust,
                p.level()));
    }

    @Test
    void nearTheCapItFallsBackToProgressiveUntilTheRateIsLow() {
        Pacing p = new Pacing(3.0, 2.0, T);
        for (int i = 0; i < 120; i++) {
            p.rang(i % 3 == 0, 10, T);
        }
        double level = p.level();
        assertThat(level).isGreaterThan(1.5);
        p.abandoned(T);
        assertThat(p.level()).as("one abandon in 40 answers: 2.5 %, under 90 % of the cap").isEqualTo(level);
        p.abandoned(T);
        assertThat(p.level()).isEqualTo(1.0);
        // the second abandon in the interval halved the level at once, then the 30-day rate made it progressive
        assertThat(p.reason()).matches("\\d\\.\\d\\d → 1\\.00: abandon rate 5\\.00 % over 30 days is near the 3\\.0 % cap: progressive");
        assertThat(p.lines(4, 10, 0, 1)).as("progressive: free agents only").isEqualTo(3);
        for (int i = 0; i < 10; i++) {
            p.sample(4, 0);
        }
        assertThat(p.adjust(T.plusSeconds(15))).as("still above 80 % of the cap: progressive").isFalse();
        for (int i = 0; i < 50; i++) {
            p.rang(true, 10, T.plusSeconds(16));
        }
        p.adjust(T.plusSeconds(30));
        assertThat(p.reason()).isEqualTo("predictive from level 1: abandon rate 2.22 % is under 80 % of the cap");
    }

    @Test
    void theThirtyDayWindowForgetsOldDaysAndRestoresEarlierOnes() {
        Pacing p = new Pacing(3.0, 1.0, T);
        LocalDate today = LocalDate.of(2026, 12, 7);
        p.restore(Map.of(today.minusDays(29), new long[] {100, 2}, today.minusDays(30), new long[] {1000, 900}));
        assertThat(p.window(T)).containsExactly(100, 2);
        assertThat(p.view(T, 3).abandonPercent()).isEqualTo(2.0);
        assertThat(p.view(T, 3).freeAgents()).isEqualTo(3);
    }
}

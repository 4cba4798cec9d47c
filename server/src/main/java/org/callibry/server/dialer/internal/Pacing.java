package org.callibry.server.dialer.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.callibry.shared.api.dto.Campaigns;

/**
 * The predictive dialer of one campaign: how many calls to place now for a queue's agents. It aims for
 * {@code aggressiveness} expected answers per agent expected free: the free agents (minus callers
 * already waiting for one), plus, once above progressive, the busy agents expected to finish while the
 * calls placed now ring (busy × mean ringing time of an attempt ÷ handle time); lines = that × aggressiveness ÷ the
 * measured answer rate, minus the calls still ringing. The dial level shown (lines per expected free
 * agent) is aggressiveness ÷ answer rate, so a change in the answer rate moves it at once. Every
 * {@value #ADJUST_SECONDS} s the aggressiveness is adapted to keep abandoned calls under the cap:
 * <ol>
 *   <li>excess drops: the interval's abandons above the cap: halved (VICIdial's rule);</li>
 *   <li>else, agents waited for calls (≥ 0.5 free on average), nobody waited for an agent, and the
 *       30-day rate is under 80 % of the cap: up 0.05 (at most one expected answer per free agent);</li>
 *   <li>else it holds.</li>
 * </ol>
 * And at once, on every abandon that brings the 30-day rate to 90 % of the cap: back to progressive
 * (one line per free agent: it abandons only when an agent does not answer in time) until the rate falls under 80 % again. A campaign starts
 * progressive too, and turns predictive at level 1 at its first interval.
 * Aggressiveness never goes below the answer rate: level 1, one line per free agent (progressive).
 * An abandoned call is a live answer with no agent within 2 s (the dialer plays the abandon message);
 * the rate is abandoned ÷ live answers (abandoned ones included), per UTC day for 30 days. Pure and
 * single-threaded: the dialer calls it under its lock, the simulation directly.
 */
final class Pacing {
    static final int ADJUST_SECONDS = 15;
    static final Duration NO_AGENT_LIMIT = Duration.ofSeconds(2);
    static final double MIN_LEVEL = 1.0;
    static final double MAX_LEVEL = 10.0;
    static final int WINDOW_DAYS = 30;
    /** Weight of history in the answer-rate and handle-time averages (about the last 50 calls). */
    private static final double DECAY = 0.98;

    private final double capPercent;
    /** Expected answers aimed for per expected free agent. */
    private double aggressiveness;
    /** Fallen back to one line per free agent (after the 30-day rate reached 90 % of the cap) until it is under 80 %. */
    private boolean progressive;
    private String reason = "start: progressive";
    private Instant changedAt;

    private double dialledWeight = 3;
    private double answeredWeight = 1; // prior: a third of calls answered
    private double handleSeconds = 120;
    /** How long an attempt rings until it is answered or given up: the horizon calls placed now cover. */
    private double ringSeconds = 15;

    private int windowAnswers;
    private int windowAbandons;
    private double freeSum;
    private double waitingSum;
    private int samples;

    /** Live answers and abandons per UTC day. */
    private final TreeMap<LocalDate, long[]> days = new TreeMap<>();

    /**
     * Starts at {@code level} lines per free agent, e.g. the level kept from before a restart; at level 1
     * progressive, until the first interval's rule.
     */
    Pacing(double capPercent, double level, Instant now) {
        this.capPercent = capPercent;
        this.aggressiveness = Math.max(answerRate(), Math.min(1.0, level * answerRate()));
        this.progressive = level <= MIN_LEVEL;
        this.changedAt = now;
    }

    /** Counts of earlier days (from the attempts table at start): {@code day → {answered, abandoned}}. */
    void restore(Map<LocalDate, long[]> history) {
        history.forEach((d, c) -> days.put(d, new long[] {c[0], c[1]}));
    }

    /** Lines per expected free agent. */
    double level() {
        if (progressive) {
            return MIN_LEVEL;
        }
        return Math.max(MIN_LEVEL, Math.min(MAX_LEVEL, aggressiveness / Math.max(0.01, answerRate())));
    }

    String reason() {
        return reason;
    }

    double answerRate() {
        return answeredWeight / dialledWeight;
    }

    double handleSeconds() {
        return handleSeconds;
    }

    // ---------------------------------------------------------------- measurements

    /** An attempt stopped ringing after {@code ring} seconds: answered, or not (busy, failed, ring timeout). */
    void rang(boolean answered, double ring, Instant at) {
        dialledWeight = dialledWeight * DECAY + 1;
        answeredWeight = answeredWeight * DECAY + (answered ? 1 : 0);
        ringSeconds = ringSeconds * 0.95 + ring * 0.05;
        if (answered) {
            windowAnswers++;
            day(at)[0]++;
        }
    }

    /** A live answer found no agent within 2 s: at 90 % of the cap, back to progressive at once. */
    void abandoned(Instant at) {
        windowAbandons++;
        day(at)[1]++;
        long[] w = window(at);
        double rate = percent(w[1], w[0]);
        if (windowAbandons >= 2 && percent(windowAbandons, windowAnswers) > capPercent && !progressive && level() > MIN_LEVEL) {
            double old = level();
            aggressiveness = Math.max(answerRate(), aggressiveness / 2);
            windowAbandons = 0;
            windowAnswers = 0;
            reason = String.format(Locale.ROOT, "%.2f → %.2f: excess drops, %d abandoned within %d s: halved at once", old, level(),
                    2, ADJUST_SECONDS);
            changedAt = at;
        }
        if (rate >= 0.9 * capPercent) { // the reason says so even when it was progressive already (the start)
            double old = level();
            progressive = true;
            aggressiveness = answerRate();
            reason = String.format(Locale.ROOT, "%.2f → %.2f: abandon rate %.2f %% over 30 days is near the %.1f %% cap: progressive",
                    old, level(), rate, capPercent);
            changedAt = at;
        }
    }

    /** An agent finished a campaign call after {@code seconds} of talk. */
    void handled(double seconds) {
        handleSeconds = handleSeconds * 0.9 + Math.max(1, seconds) * 0.1;
    }

    /** What the agents do now (each dispatch round): averaged over the interval. */
    void sample(int freeAgents, int waitingCallers) {
        freeSum += freeAgents;
        waitingSum += waitingCallers;
        samples++;
    }

    private long[] day(Instant at) {
        return days.computeIfAbsent(at.atZone(ZoneOffset.UTC).toLocalDate(), d -> new long[2]);
    }

    /** {@code {answered, abandoned}} over the 30 days up to {@code at}. */
    long[] window(Instant at) {
        LocalDate today = at.atZone(ZoneOffset.UTC).toLocalDate();
        LocalDate first = today.minusDays(WINDOW_DAYS - 1);
        days.headMap(first).clear();
        long[] sum = new long[2];
        for (long[] c : days.values()) {
            sum[0] += c[0];
            sum[1] += c[1];
        }
        return sum;
    }

    static double percent(long part, long whole) {
        return whole == 0 ? 0 : 100.0 * part / whole;
    }

    // ---------------------------------------------------------------- decisions

    /**
     * New calls to place now: {@code free} agents waiting (minus callers already waiting for one), plus,
     * above level 1, the {@code busy} agents expected to finish while an attempt rings;
     * times the level, minus the calls still {@code ringing}.
     */
    int lines(int free, int busy, int waiting, int ringing) {
        double level = level();
        double expectedFree = free - waiting;
        if (level > MIN_LEVEL + 1e-9) {
            expectedFree += busy * Math.min(1.0, ringSeconds / Math.max(1.0, handleSeconds));
        }
        if (expectedFree <= 0) {
            return 0;
        }
        return Math.max(0, (int) Math.floor(expectedFree * level + 1e-9) - ringing);
    }

    /** The rule of the interval that just ended; returns true when the level changed. */
    boolean adjust(Instant now) {
        long[] w = window(now);
        double rate = percent(w[1], w[0]);
        double windowRate = percent(windowAbandons, windowAnswers);
        double free = samples == 0 ? 0 : freeSum / samples;
        double waiting = samples == 0 ? 0 : waitingSum / samples;
        double old = level();
        double rateNow = answerRate();
        String why;
        if (progressive && rate < 0.8 * capPercent) {
            progressive = false;
            aggressiveness = rateNow;
            reason = String.format(Locale.ROOT, "predictive from level 1: abandon rate %.2f %% is under 80 %% of the cap", rate);
            changedAt = now;
        }
        if (progressive) {
            why = null;
        } else if (windowAbandons > 0 && windowRate > capPercent) {
            aggressiveness = Math.max(rateNow, aggressiveness / 2);
            why = String.format(Locale.ROOT, "excess drops, %d of %d answers in the last %d s abandoned (30 days: %.2f %%): halved",
                    windowAbandons, windowAnswers, ADJUST_SECONDS, rate);
        } else if (free >= 0.5 && waiting < 0.5 && rate < 0.8 * capPercent && aggressiveness < 1.0) {
            aggressiveness = Math.min(1.0, aggressiveness + 0.05);
            why = String.format(Locale.ROOT, "agents waited for calls (%.1f free on average), abandon rate %.2f %%: raised",
                    free, rate);
        } else {
            why = null;
        }
        aggressiveness = Math.max(aggressiveness, rateNow);
        double level = level();
        windowAnswers = 0;
        windowAbandons = 0;
        freeSum = 0;
        waitingSum = 0;
        samples = 0;
        if (why != null && Math.abs(level - old) > 1e-9) {
            reason = String.format(Locale.ROOT, "%.2f → %.2f: %s", old, level, why);
            changedAt = now;
            return true;
        }
        return false;
    }

    Campaigns.Pacing view(Instant now, int freeAgents) {
        long[] w = window(now);
        return new Campaigns.Pacing(Math.round(level() * 100) / 100.0, Math.round(percent(w[1], w[0]) * 100) / 100.0, capPercent,
                w[0], w[1], Math.round(answerRate() * 1000) / 10.0, Math.round(handleSeconds * 10) / 10.0, freeAgents, reason,
                changedAt);
    }
}

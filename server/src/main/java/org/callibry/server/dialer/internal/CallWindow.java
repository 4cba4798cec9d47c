package org.callibry.server.dialer.internal;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.function.Predicate;

/**
 * When a campaign may call: ISO days of the week, a daily time window ({@code to} exclusive; {@code to}
 * before {@code from} runs across midnight, and then belongs to the day it opened), in a time zone, and
 * no calls on holidays. A pure function of an instant; {@link #nextOpening} says when a closed window
 * opens again (for "outside the schedule until ..." and to sleep until then).
 *
 * @param days     the open days (empty: every day)
 * @param from     opening time, or null for all day
 * @param to       closing time (exclusive), or null for all day
 * @param holiday  whether a local date is a holiday (then closed all day)
 */
record CallWindow(Set<DayOfWeek> days, LocalTime from, LocalTime to, ZoneId zone, Predicate<LocalDate> holiday) {

    static CallWindow always(ZoneId zone) {
        return new CallWindow(Set.of(), null, null, zone, d -> false);
    }

    boolean open(Instant at) {
        ZonedDateTime local = at.atZone(zone);
        LocalTime t = local.toLocalTime();
        LocalDate day = local.toLocalDate();
        if (from == null || to == null || from.equals(to)) {
            return dayOpen(day);
        }
        if (!to.isBefore(from)) {
            return dayOpen(day) && !t.isBefore(from) && t.isBefore(to);
        }
        // across midnight: the evening part belongs to today, the morning part to yesterday's window
        return !t.isBefore(from) ? dayOpen(day) : t.isBefore(to) && dayOpen(day.minusDays(1));
    }

    private boolean dayOpen(LocalDate day) {
        return (days.isEmpty() || days.contains(day.getDayOfWeek())) && !holiday.test(day);
    }

    /** The first instant at or after {@code at} when the window is open; null when it never opens within 400 days. */
    Instant nextOpening(Instant at) {
        if (open(at)) {
            return at;
        }
        // candidates: each local day's opening time (or midnight) for the next 400 days
        LocalDate start = at.atZone(zone).toLocalDate();
        for (int i = 0; i <= 400; i++) {
            LocalDate day = start.plusDays(i);
            ZonedDateTime opening = (from == null || to == null || from.equals(to) ? day.atStartOfDay(zone)
                    : day.atTime(from).atZone(zone));
            Instant candidate = opening.toInstant();
            if (!candidate.isBefore(at) && open(candidate)) {
                return candidate.truncatedTo(ChronoUnit.SECONDS);
            }
        }
        return null;
    }
}

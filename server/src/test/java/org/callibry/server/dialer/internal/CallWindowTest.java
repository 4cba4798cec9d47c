package org.callibry.server.dialer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * When a campaign may call. Scenarios: weekdays 09:00-18:00 in Moscow (open, before, at the exclusive
 * end, on Saturday), a window across midnight belongs to the day it opened, a holiday closes the whole
 * day, all day every day, and the next opening after a closed moment (the weekend skipped, a holiday
 * skipped, never).
 */
class CallWindowTest {
    static final ZoneId MSK = ZoneId.of("Europe/Moscow");
    static final Set<DayOfWeek> WEEKDAYS = Set.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY,
            DayOfWeek.FRIDAY);
    static final CallWindow OFFICE = new CallWindow(WEEKDAYS, LocalTime.of(9, 0), LocalTime.of(18, 0), MSK, d -> false);

    static Instant msk(String local) {
        return java.time.LocalDateTime.parse(local).atZone(MSK).toInstant();
    }

    @Test
    void weekdayOfficeHoursInTheCampaignsZone() {
        assertThat(OFFICE.open(msk("2026-12-07T09:00"))).isTrue();       // Monday
        assertThat(OFFICE.open(msk("2026-12-07T08:59:59"))).isFalse();
        assertThat(OFFICE.open(msk("2026-12-07T18:00"))).isFalse();      // the end is exclusive
        assertThat(OFFICE.open(msk("2026-12-12T12:00"))).isFalse();      // Saturday
        assertThat(OFFICE.open(Instant.parse("2026-12-07T06:30:00Z"))).isTrue(); // 09:30 in Moscow
    }

    @Test
    void aWindowAcrossMidnightBelongsToTheDayItOpened() {
        CallWindow evenings = new CallWindow(Set.of(DayOfWeek.FRIDAY), LocalTime.of(22, 0), LocalTime.of(2, 0), MSK, d -> false);
        assertThat(evenings.open(msk("2026-12-11T23:00"))).isTrue();     // Friday night
        assertThat(evenings.open(msk("2026-12-12T01:59"))).isTrue();     // Saturday morning, Friday's window
        assertThat(evenings.open(msk("2026-12-12T23:00"))).isFalse();    // Saturday night
        assertThat(evenings.open(msk("2026-12-11T01:00"))).isFalse();    // Friday morning is Thursday's window
    }

    @Test
    void aHolidayClosesTheDay() {
        CallWindow w = new CallWindow(Set.of(), null, null, MSK, d -> d.equals(LocalDate.of(2027, 1, 1)));
        assertThat(w.open(msk("2027-01-01T12:00"))).isFalse();
        assertThat(w.open(msk("2027-01-02T00:00"))).isTrue();
        assertThat(w.nextOpening(msk("2027-01-01T12:00"))).isEqualTo(msk("2027-01-02T00:00"));
    }

    @Test
    void nextOpeningSkipsTheWeekend() {
        assertThat(OFFICE.nextOpening(msk("2026-12-11T18:30"))).isEqualTo(msk("2026-12-14T09:00"));
        assertThat(OFFICE.nextOpening(msk("2026-12-07T07:00"))).isEqualTo(msk("2026-12-07T09:00"));
        Instant open = msk("2026-12-07T10:00");
        assertThat(OFFICE.nextOpening(open)).isEqualTo(open);
        assertThat(new CallWindow(Set.of(), null, null, MSK, d -> true).nextOpening(open)).isNull();
        assertThat(CallWindow.always(MSK).open(open)).isTrue();
    }
}

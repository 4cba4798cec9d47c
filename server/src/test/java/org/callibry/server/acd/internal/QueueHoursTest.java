package org.callibry.server.acd.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.callibry.shared.api.dto.Queues;
import org.junit.jupiter.api.Test;

/** Opening hours in the tenant's zone: days, ranges, 24:00, holidays; ranges that end before they start refused. */
class QueueHoursTest {
    private static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow");
    private static final List<Queues.Hours> WEEKDAYS = List.of(
            new Queues.Hours(List.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY,
                    DayOfWeek.FRIDAY), "09:00", "18:00"),
            new Queues.Hours(List.of(DayOfWeek.SATURDAY), "10:00", "24:00"));

    private static Queues.Queue queue(List<Queues.Hours> hours, boolean closedOnHolidays) {
        return new Queues.Queue(1, 1, "500", "Q", Queues.Strategy.LINEAR, List.of(), List.of(), 0, 0, null, null, null, 0, "en",
                0, 20, 20, "", 3, 0, 0, 0, false, 5, hours, closedOnHolidays, null, null, null);
    }

    private static ZonedDateTime at(String local) {
        return java.time.LocalDateTime.parse(local).atZone(MOSCOW); // 2026-12-07 is a Monday
    }

    @Test
    void openWithinItsRangesOnItsDays() {
        Queues.Queue q = queue(WEEKDAYS, false);
        assertThat(QueueHours.open(q, at("2026-12-07T09:00"), false)).isTrue();
        assertThat(QueueHours.open(q, at("2026-12-07T17:59"), false)).isTrue();
        assertThat(QueueHours.open(q, at("2026-12-07T18:00"), false)).as("to is excluded").isFalse();
        assertThat(QueueHours.open(q, at("2026-12-07T08:59"), false)).isFalse();
        assertThat(QueueHours.open(q, at("2026-12-12T23:59"), false)).as("Saturday to 24:00").isTrue();
        assertThat(QueueHours.open(q, at("2026-12-13T12:00"), false)).as("Sunday").isFalse();
    }

    @Test
    void noHoursIsAlwaysOpenAndHolidaysCloseOnlyWhenAsked() {
        assertThat(QueueHours.open(queue(List.of(), false), at("2026-12-13T03:00"), true)).isTrue();
        assertThat(QueueHours.open(queue(List.of(), true), at("2026-12-13T03:00"), true)).isFalse();
        assertThat(QueueHours.open(queue(WEEKDAYS, true), at("2026-12-07T10:00"), true)).isFalse();
        assertThat(QueueHours.open(queue(WEEKDAYS, true), at("2026-12-07T10:00"), false)).isTrue();
    }

    @Test
    void aRangeMustEndAfterItStarts() {
        assertThat(QueueHours.invalid(WEEKDAYS)).isEmpty();
        assertThat(QueueHours.invalid(List.of(new Queues.Hours(List.of(DayOfWeek.MONDAY), "22:00", "06:00"))))
                .hasValueSatisfying(r -> assertThat(r).startsWith("hours[0]: 06:00 is not after 22:00"));
    }
}

package org.callibry.server.acd.internal;

import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import org.callibry.shared.api.dto.Queues;

/** A queue's opening hours: whether it takes callers at a moment of its tenant's time zone. */
final class QueueHours {
    private QueueHours() {
    }

    /**
     * Open at {@code at} (in the tenant's zone): not on a holiday when the queue closes on them, and within
     * one of its ranges (none: always).
     */
    static boolean open(Queues.Queue q, ZonedDateTime at, boolean holiday) {
        if (q.closedOnHolidays() && holiday) {
            return false;
        }
        if (q.hours().isEmpty()) {
            return true;
        }
        LocalTime t = at.toLocalTime();
        for (Queues.Hours h : q.hours()) {
            if (h.days().contains(at.getDayOfWeek()) && !t.isBefore(LocalTime.parse(h.from()))
                    && (h.to().equals("24:00") || t.isBefore(LocalTime.parse(h.to())))) {
                return true;
            }
        }
        return false;
    }

    /** Why these hours are wrong ({@code hours[i].to} before its {@code from}), or empty. */
    static Optional<String> invalid(List<Queues.Hours> hours) {
        for (int i = 0; i < hours.size(); i++) {
            Queues.Hours h = hours.get(i);
            if (!h.to().equals("24:00") && !LocalTime.parse(h.to()).isAfter(LocalTime.parse(h.from()))) {
                return Optional.of("hours[" + i + "]: " + h.to() + " is not after " + h.from()
                        + " (a range past midnight is two: to 24:00, and from 00:00 the next day)");
            }
        }
        return Optional.empty();
    }
}

package org.callibry.server.portal.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.springframework.stereotype.Component;

/**
 * Times and durations as the pages show them ({@code @portalFormat} in the templates), and the date
 * range fields turned into instants, all in {@code callibry.portal.time-zone}.
 */
@Component("portalFormat")
class PortalFormat {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private final ZoneId zone;

    PortalFormat(PortalProperties properties) {
        this.zone = properties.timeZone();
    }

    ZoneId zone() {
        return zone;
    }

    public String zoneName() {
        return zone.getId();
    }

    public String time(Instant at) {
        return at == null ? "" : TIME.format(at.atZone(zone));
    }

    /** Seconds as m:ss or h:mm:ss. */
    public String seconds(Number value) {
        if (value == null) {
            return "–";
        }
        long s = Math.round(value.doubleValue());
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s % 3600 / 60, s % 60) : String.format("%d:%02d", s / 60, s % 60);
    }

    public String millis(long ms) {
        return seconds(ms / 1000.0);
    }

    public String percent(Double value) {
        return value == null ? "–" : String.format("%.1f %%", value);
    }

    public String ratio(Double value) {
        return value == null ? "–" : String.format("%.1f %%", value * 100);
    }

    LocalDate today() {
        return LocalDate.now(zone);
    }

    /** The first instant of a day. */
    Instant startOf(LocalDate day) {
        return day.atStartOfDay(zone).toInstant();
    }

    /** A {@code yyyy-MM-dd} field, null when blank; throws {@link DateTimeParseException} when malformed. */
    static LocalDate date(String value) {
        return value == null || value.isBlank() ? null : LocalDate.parse(value.strip());
    }
}

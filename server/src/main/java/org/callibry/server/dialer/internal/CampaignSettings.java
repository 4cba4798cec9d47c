package org.callibry.server.dialer.internal;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.callibry.server.acd.QueueLive;
import org.callibry.server.directory.Holidays;
import org.callibry.server.directory.TenantZones;
import org.callibry.shared.api.dto.Campaigns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * What a campaign's settings and the world around it mean for its run: the schedule window in the
 * campaign's (or the tenant's) time zone with the tenant's holidays, the predictive pacing (its level
 * kept across restarts, its 30-day abandon figures restored from the attempts), and the lines a
 * predictive campaign may dial now given its queue's agents ({@link QueueLive}).
 */
@Component
class CampaignSettings {
    private static final Logger log = LoggerFactory.getLogger(CampaignSettings.class);

    private final CampaignStore store;
    private final DialerClock clock;
    private final TenantZones zones;
    private final ObjectProvider<Holidays> holidays;
    private final ObjectProvider<QueueLive> queues;

    CampaignSettings(CampaignStore store, DialerClock clock, TenantZones zones, ObjectProvider<Holidays> holidays,
                     ObjectProvider<QueueLive> queues) {
        this.store = store;
        this.clock = clock;
        this.zones = zones;
        this.holidays = holidays;
        this.queues = queues;
    }

    /** Settings into a run: its schedule window (with the tenant's holidays) and, for predictive campaigns, its pacing. */
    CampaignRun configure(CampaignRun r, Campaigns.Campaign c) {
        r.config = c;
        ZoneId zone = zone(c);
        Set<DayOfWeek> days = new HashSet<>();
        c.schedule().days().forEach(d -> days.add(DayOfWeek.of(d)));
        boolean obey = Boolean.TRUE.equals(c.schedule().holidays());
        r.holidays.clear();
        r.window = new CallWindow(days, time(c.schedule().timeFrom()), time(c.schedule().timeTo()), zone,
                d -> obey && r.holidays.computeIfAbsent(d, x -> holiday(c.tenantId(), x)));
        if (c.predictive() && c.onAnswer() == Campaigns.OnAnswer.QUEUE) {
            if (r.pacing == null) {
                r.pacing = new Pacing(c.maxAbandonPercent(), c.pacing() == null ? 1.0 : c.pacing().dialLevel(), clock.now());
                r.pacing.restore(store.answersByDay(c.id(), clock.now().minus(Duration.ofDays(Pacing.WINDOW_DAYS))));
                r.nextAdjust = clock.now().plusSeconds(Pacing.ADJUST_SECONDS);
            }
        } else {
            r.pacing = null;
        }
        r.dirty = true;
        r.idleUntil = 0;
        return r;
    }

    /** Whether a QUEUE campaign's queue takes callers now (its hours, the tenant's holidays); other campaigns: true. */
    boolean queueOpen(Campaigns.Campaign c) {
        QueueLive live = queues.getIfAvailable();
        return c.onAnswer() != Campaigns.OnAnswer.QUEUE || c.queueId() == null || live == null || live.open(c.queueId());
    }

    /** Predictive lines now, from the queue's agents; every 15 s the pacing adapts (and the level is kept). */
    int predictiveLines(CampaignRun r, Instant now) {
        Campaigns.Campaign c = r.config;
        QueueLive live = queues.getIfAvailable();
        Optional<QueueLive.Snapshot> q = live == null ? Optional.empty()
                : live.snapshot(c.tenantId()).stream().filter(s -> c.queueId() != null && s.queueId() == c.queueId()).findFirst();
        if (q.isEmpty()) {
            r.dialling("waiting: queue " + c.queueId() + " is not running");
            return 0;
        }
        Map<String, Integer> agents = q.get().agents();
        int free = agents.getOrDefault("FREE", 0);
        int busy = agents.getOrDefault("BUSY", 0) + agents.getOrDefault("RINGING", 0) + agents.getOrDefault("WRAP_UP", 0);
        r.freeAgents = free;
        r.pacing.sample(free, q.get().waiting());
        if (!now.isBefore(r.nextAdjust)) {
            r.nextAdjust = now.plusSeconds(Pacing.ADJUST_SECONDS);
            if (r.pacing.adjust(now)) {
                double level = r.pacing.level();
                log.info("Campaign {} ({}): dial level {}", c.id(), c.name(), r.pacing.reason());
                Thread.ofVirtual().start(() -> store.dialLevel(c.id(), level));
            }
            r.dirty = true;
        }
        int lines = r.pacing.lines(free, busy, q.get().waiting(), r.ringing);
        if (lines <= 0 && free == 0) {
            r.dialling("waiting for a free agent");
        }
        return lines;
    }

    /** A predictive campaign not running: its kept level and its 30-day figures from the attempts. */
    Campaigns.Pacing storedPacing(Campaigns.Campaign c) {
        long[] sum = new long[2];
        store.answersByDay(c.id(), clock.now().minus(Duration.ofDays(Pacing.WINDOW_DAYS - 1)).truncatedTo(java.time.temporal.ChronoUnit.DAYS))
                .values().forEach(d -> {
                    sum[0] += d[0];
                    sum[1] += d[1];
                });
        double level = c.pacing() == null ? 1.0 : c.pacing().dialLevel();
        return new Campaigns.Pacing(level, Math.round(Pacing.percent(sum[1], sum[0]) * 100) / 100.0, c.maxAbandonPercent(), sum[0],
                sum[1], 0, 0, 0, "not running", null);
    }

    private ZoneId zone(Campaigns.Campaign c) {
        String z = c.schedule().timeZone();
        if (z != null && !z.isBlank()) {
            try {
                return ZoneId.of(z.strip());
            } catch (RuntimeException e) {
                log.warn("Campaign {}: unknown time zone {}, using the tenant's", c.id(), z);
            }
        }
        return zones.zone(c.tenantId());
    }

    private boolean holiday(long tenantId, LocalDate date) {
        org.callibry.server.directory.Holidays h = holidays.getIfAvailable();
        return h != null && h.holiday(tenantId, date).isPresent();
    }

    private static LocalTime time(String hhmm) {
        return hhmm == null || hhmm.isBlank() ? null : LocalTime.parse(hhmm.strip());
    }
}

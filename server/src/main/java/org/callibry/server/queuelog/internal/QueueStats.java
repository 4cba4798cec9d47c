package org.callibry.server.queuelog.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.callibry.server.acd.AgentStatusChanged;
import org.callibry.server.acd.QueueEvent;
import org.callibry.server.acd.QueueLive;
import org.callibry.server.api.Caller;
import org.callibry.server.api.PushNotification;
import org.callibry.server.api.RpcMethod;
import org.callibry.shared.api.Methods;
import org.callibry.shared.api.Role;
import org.callibry.shared.api.dto.Queues;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * {@code queue.stats} and the {@code queue.statsChanged} pushes: the ACD's live figures (waiting, longest
 * wait, agents by state) with today's counts (offered, answered, abandoned, service level; the day in
 * the tenant's time zone). Today's counts are read from the log once a day per queue, then
 * kept up by the queue events; pushes are coalesced to two per second per queue at most.
 */
@Component
class QueueStats implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(QueueStats.class);
    private static final long PUSH_EVERY_MILLIS = 500;
    /** Today's counts of one queue. */
    private static final class Day {
        final LocalDate date;
        long offered;
        long answered;
        long abandoned;
        long shortAbandoned;
        long withinSl;

        Day(LocalDate date) {
            this.date = date;
        }
    }

    private final JdbcClient jdbc;
    private final QueueLive live;
    private final ApplicationEventPublisher events;
    private final org.callibry.server.directory.TenantZones zones;
    private final Map<Long, Long> tenantOf = new ConcurrentHashMap<>();
    private final Map<Long, Day> days = new ConcurrentHashMap<>();
    private final Set<Long> dirty = ConcurrentHashMap.newKeySet();
    private volatile ScheduledExecutorService pusher;

    QueueStats(JdbcClient jdbc, QueueLive live, ApplicationEventPublisher events, org.callibry.server.directory.TenantZones zones) {
        this.zones = zones;
        this.jdbc = jdbc;
        this.live = live;
        this.events = events;
    }

    @RpcMethod(value = Methods.QUEUE_STATS, roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER},
            summary = "Per queue now: waiting, longest wait, agents by state; offered, answered, abandoned and service level today")
    List<Queues.Stats> stats(Caller caller, Queues.StatsParams params) {
        Long tenant = caller.scopeTenant(params.tenantId(), "tenantId");
        List<Queues.Stats> out = new ArrayList<>();
        for (QueueLive.Snapshot s : live.snapshot(tenant)) {
            out.add(stats(s));
        }
        return out;
    }

    private Queues.Stats stats(QueueLive.Snapshot s) {
        Day d = today(s.queueId(), s.tenantId(), new Limits(s.serviceLevelSeconds(), s.shortAbandonSeconds()));
        synchronized (d) {
            long counted = d.offered - d.shortAbandoned;
            return new Queues.Stats(s.queueId(), s.tenantId(), s.name(), s.waiting(), s.longestWaitSeconds(), s.agents(),
                    d.offered, d.answered, d.abandoned, counted > 0 ? 100.0 * d.withinSl / counted : null);
        }
    }

    /** Today's counts of the queue (today in its tenant's time zone): read from the log on the first use of the day. */
    private Day today(long queueId, long tenantId, Limits l) {
        java.time.ZoneId zone = zones.zone(tenantId);
        tenantOf.put(queueId, tenantId);
        LocalDate date = LocalDate.now(zone);
        Day d = days.get(queueId);
        if (d != null && d.date.equals(date)) {
            return d;
        }
        Day fresh = new Day(date);
        Instant from = date.atStartOfDay(zone).toInstant();
        Instant to = date.plusDays(1).atStartOfDay(zone).toInstant();
        try {
            QueueSums sums = QueueSums.fromLog(jdbc, from, to, null, queueId, new QueueSums.Thresholds(new Long[] {queueId},
                    new Integer[] {l.serviceLevel()}, new Integer[] {l.shortAbandon()})).get(queueId);
            if (sums != null) {
                fresh.offered = sums.offered;
                fresh.answered = sums.answered;
                fresh.abandoned = sums.abandoned;
                fresh.shortAbandoned = sums.shortAbandoned;
                fresh.withinSl = sums.withinSl;
            }
        } catch (RuntimeException e) {
            log.warn("Today's counts of queue {} not read from the log: {}", queueId, e.toString());
        }
        limits.put(queueId, l);
        days.put(queueId, fresh);
        return fresh;
    }

    @EventListener
    void on(QueueEvent e) {
        Day d = days.get(e.queueId());
        Long tenant = tenantOf.get(e.queueId());
        if (d != null && tenant != null && d.date.equals(e.at().atZone(zones.zone(tenant)).toLocalDate())) {
            synchronized (d) {
                switch (e.type()) {
                    case ENTERED -> d.offered++;
                    case ANSWERED -> {
                        d.answered++;
                        Limits l = limits.get(e.queueId());
                        if (l != null && e.waitSeconds() <= l.serviceLevel()) {
                            d.withinSl++;
                        }
                    }
                    case ABANDONED -> {
                        Limits l = limits.get(e.queueId());
                        if (e.waitSeconds() < (l == null ? QueueSums.Thresholds.SHORT : l.shortAbandon())) {
                            d.shortAbandoned++;
                        } else {
                            d.abandoned++;
                        }
                    }
                    default -> {
                    }
                }
            }
        }
        dirty.add(e.queueId());
    }

    @EventListener
    void on(AgentStatusChanged e) {
        Long queue = e.status().queueId();
        if (queue != null) {
            dirty.add(queue);
        } else {
            dirty.add(-e.status().tenantId()); // every queue of the tenant: the agent may be in several
        }
    }

    /** A queue's service level and short-abandon thresholds, in seconds. */
    private record Limits(int serviceLevel, int shortAbandon) {
    }

    private final Map<Long, Limits> limits = new ConcurrentHashMap<>();

    /** Publishes {@code queue.statsChanged} for the queues touched since the last round. */
    private void push() {
        try {
            if (dirty.isEmpty()) {
                return;
            }
            Set<Long> touched = new java.util.HashSet<>(dirty);
            dirty.removeAll(touched);
            Map<Long, Boolean> tenants = new HashMap<>();
            for (Long t : touched) {
                if (t < 0) {
                    tenants.put(-t, true);
                }
            }
            for (QueueLive.Snapshot s : live.snapshot(null)) {
                limits.put(s.queueId(), new Limits(s.serviceLevelSeconds(), s.shortAbandonSeconds()));
                if (touched.contains(s.queueId()) || tenants.containsKey(s.tenantId())) {
                    events.publishEvent(new PushNotification("queue.statsChanged", stats(s), s.tenantId()));
                }
            }
        } catch (RuntimeException e) {
            log.warn("queue.statsChanged not pushed: {}", e.toString());
        }
    }

    @Override
    public void start() {
        pusher = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("queue-stats").daemon().factory());
        pusher.scheduleWithFixedDelay(this::push, PUSH_EVERY_MILLIS, PUSH_EVERY_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        ScheduledExecutorService p = pusher;
        pusher = null;
        if (p != null) {
            p.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return pusher != null;
    }
}

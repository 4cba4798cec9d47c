package org.callibry.server.queuelog.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.TreeMap;
import java.util.List;
import java.util.Map;
import org.callibry.server.acd.QueueDirectory;
import org.callibry.server.api.Caller;
import org.callibry.server.api.RpcException;
import org.callibry.server.api.RpcMethod;
import org.callibry.server.directory.SipDirectory;
import org.callibry.shared.api.Methods;
import org.callibry.shared.api.Role;
import org.callibry.shared.api.dto.Kpis;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * {@code kpi.queues} and {@code kpi.agents}: sums over the queue log's calls and agent rows, read from
 * the 15-minute rollups for the whole buckets they cover and from the log for the rest (the edges of
 * the range, the last day), added, then made into averages and ratios. Definitions in
 * {@code docs/modules/queue-log.md}.
 */
@Component
class KpiEndpoint {
    private final JdbcClient jdbc;
    private final QueueDirectory queues;
    private final SipDirectory directory;
    private final KpiRollups rollups;

    KpiEndpoint(JdbcClient jdbc, QueueDirectory queues, SipDirectory directory, KpiRollups rollups) {
        this.jdbc = jdbc;
        this.queues = queues;
        this.directory = directory;
        this.rollups = rollups;
    }

    @RpcMethod(value = Methods.KPI_QUEUES, roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER},
            summary = "Per queue: offered, answered, abandoned, service level, speed of answer, waits, talk and handling times")
    List<Kpis.QueueKpi> queues(Caller caller, Kpis.QueueParams p) {
        range(p.timeFrom(), p.timeTo());
        Long tenant = caller.scopeTenant(p.tenantId(), "tenantId");
        Map<Long, QueueDirectory.Info> known = queues.queuesOf(tenant);
        Map<Long, QueueSums> sums = queueSums(p.timeFrom(), p.timeTo(), tenant, p.queueId(), QueueSums.Thresholds.of(known.values()));
        List<Kpis.QueueKpi> out = new ArrayList<>();
        for (var e : new TreeMap<>(sums).entrySet()) {
            QueueDirectory.Info info = known.get(e.getKey());
            QueueSums s = e.getValue();
            Double avgTalk = s.avgTalk();
            out.add(new Kpis.QueueKpi(e.getKey(), info == null ? null : info.name(), s.offered, s.answered, s.abandoned,
                    s.shortAbandoned, s.withinSl, s.serviceLevelPct(), s.asa(), s.avgWait(), s.waitMax, avgTalk, s.maxTalk(),
                    avgTalk == null ? null : avgTalk + (info == null ? 0 : info.wrapUpSeconds()),
                    s.offered > 0 ? (double) s.answered / s.offered : null));
        }
        return out;
    }

    /** The queue sums of {@code [from, to)}: rollups for the whole buckets they cover, the log for the rest. */
    Map<Long, QueueSums> queueSums(Instant from, Instant to, Long tenant, Long queue, QueueSums.Thresholds thresholds) {
        KpiRollups.Split split = KpiRollups.split(from, to, rollups.rolledTo());
        Map<Long, QueueSums> sums = new HashMap<>();
        if (split.rolled() != null) {
            QueueSums.addAll(sums, QueueSums.fromRollups(jdbc, split.rolled().from(), split.rolled().to(), tenant, queue));
        }
        for (KpiRollups.Range r : split.log()) {
            QueueSums.addAll(sums, QueueSums.fromLog(jdbc, r.from(), r.to(), tenant, queue, thresholds));
        }
        return sums;
    }

    @RpcMethod(value = Methods.KPI_AGENTS, roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER},
            summary = "Per agent: offers, answers, misses, talk and handling times, occupancy, pause time by reason")
    List<Kpis.AgentKpi> agents(Caller caller, Kpis.AgentParams p) {
        range(p.timeFrom(), p.timeTo());
        Long tenant = caller.scopeTenant(p.tenantId(), "tenantId");
        KpiRollups.Split split = KpiRollups.split(p.timeFrom(), p.timeTo(), rollups.rolledTo());
        Map<Long, AgentSums> sums = new HashMap<>();
        if (split.rolled() != null) {
            AgentSums.addAll(sums, AgentSums.fromRollups(jdbc, split.rolled().from(), split.rolled().to(), tenant));
        }
        for (KpiRollups.Range r : split.log()) {
            AgentSums.addAll(sums, AgentSums.fromLog(jdbc, r.from(), r.to(), tenant));
        }
        Map<Long, SipDirectory.Credentials> numbers = directory.accounts(sums.keySet());
        List<Kpis.AgentKpi> out = new ArrayList<>();
        for (AgentSums a : sums.values()) {
            if (p.accountId() != null && a.accountId != p.accountId()) {
                continue;
            }
            SipDirectory.Credentials c = numbers.get(a.accountId);
            if (tenant != null && (c == null || c.tenantId() != tenant)) {
                continue;
            }
            long loggedIn = 0;
            long wrapUp = 0;
            Map<String, Long> pauses = new HashMap<>();
            for (var s : a.seconds.entrySet()) {
                String state = s.getKey().state();
                double seconds = s.getValue();
                if (state == null || state.equals("OFFLINE") || state.equals("UNAVAILABLE")) {
                    continue;
                }
                loggedIn += Math.round(seconds);
                if (state.equals("WRAP_UP")) {
                    wrapUp += Math.round(seconds);
                } else if (state.equals("PAUSED")) {
                    String reason = s.getKey().reason();
                    pauses.merge(reason == null || reason.isBlank() ? "" : reason, Math.round(seconds), Long::sum);
                }
            }
            long talk = Math.round(a.talkSum);
            Double aht = a.answered == 0 ? null : (double) (talk + wrapUp) / a.answered;
            Double occupancy = loggedIn == 0 ? null : Math.min(1.0, (double) (talk + wrapUp) / loggedIn);
            out.add(new Kpis.AgentKpi(a.accountId, c == null ? null : c.number(), a.offered, a.answered, a.missed,
                    a.answered == 0 ? null : a.talkSum / a.answered, a.talkMax == null ? null : Math.round(a.talkMax), aht, talk,
                    wrapUp, loggedIn, occupancy, Map.copyOf(pauses)));
        }
        out.sort(Comparator.comparing(k -> k.agent() == null ? "" : k.agent()));
        return out;
    }

    private static void range(Instant from, Instant to) {
        if (!to.isAfter(from)) {
            throw RpcException.invalid("timeTo", "must be after timeFrom");
        }
        if (java.time.Duration.between(from, to).toDays() > 366) {
            throw RpcException.invalid("timeTo", "a range is one year at most");
        }
    }
}

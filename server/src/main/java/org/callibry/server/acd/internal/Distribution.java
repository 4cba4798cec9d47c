package org.callibry.server.acd.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.random.RandomGenerator;
import org.callibry.shared.api.dto.Agents;
import org.callibry.shared.api.dto.Queues;

/**
 * The distribution decision: which waiting callers are offered to which free agents now. Queues are
 * served by weight (higher first, then by id: deterministic), each queue's callers in service order;
 * for each caller, the free members of the lowest penalty tier that has one are the candidates, and
 * the queue's strategy picks among them. Agents are reserved through {@link AgentReservations}, so a
 * shared agent goes to one caller only. Pure of SIP and of the database; runs under the ACD's lock.
 */
final class Distribution {

    /** An offer to make: {@code entry} to {@code agents} (several for RING_ALL). */
    record Offer(Entry entry, List<Agent> agents) {
    }

    /** Heavier first, then by id; written out because the decision sorts every queue each time. */
    static final Comparator<QueueRuntime> FEEDING_ORDER = (a, b) -> {
        int wa = a.config.weight();
        int wb = b.config.weight();
        return wa != wb ? Integer.compare(wb, wa) : Long.compare(a.config.id(), b.config.id());
    };

    private final AgentReservations reservations;
    private final RandomGenerator random;

    Distribution(AgentReservations reservations, RandomGenerator random) {
        this.reservations = reservations;
        this.random = random;
    }

    /** The offers to make now, agents reserved. {@code queues} in any order; already in feeding order costs least. */
    List<Offer> decide(Collection<QueueRuntime> queues, Instant now) {
        List<Offer> offers = new ArrayList<>();
        List<QueueRuntime> ordered = new ArrayList<>(queues);
        ordered.sort(FEEDING_ORDER);
        LocalDate today = now.atZone(java.time.ZoneOffset.UTC).toLocalDate();
        for (QueueRuntime q : ordered) {
            if (q.waiting.isEmpty() || q.members.isEmpty() && q.directs.isEmpty()) {
                continue;
            }
            for (Entry e : q.directs) {
                // the supervisor's choice: offered now unless the agent is on the phone, offline or logged out
                if (e.offered() || e.served || e.direct == null) {
                    continue;
                }
                Agents.State s = e.direct.state(now);
                boolean reachable = s == Agents.State.FREE || s == Agents.State.PAUSED || s == Agents.State.WRAP_UP;
                if (reachable && reservations.reserve(e.direct.agentId, e.callId)) {
                    offers.add(new Offer(e, List.of(e.direct)));
                    e.ringing.add(e.direct);
                    e.direct.offer = e;
                }
            }
            for (Entry e : q.waiting) {
                if (e.direct != null || e.offered() || e.served || e.notBefore != null && now.isBefore(e.notBefore)) {
                    continue;
                }
                List<QueueRuntime.Member> candidates = candidates(q, e, now);
                if (candidates.isEmpty()) {
                    break; // nobody free in this queue (candidates are empty only then): the callers behind wait too
                }
                List<Agent> picked = pick(q, candidates, today);
                List<Agent> reserved = new ArrayList<>();
                for (Agent a : picked) {
                    if (reservations.reserve(a.agentId, e.callId)) {
                        reserved.add(a);
                        a.offer = e; // marks it non-free for the rest of this decision
                    }
                }
                if (!reserved.isEmpty()) {
                    offers.add(new Offer(e, reserved));
                    e.ringing.addAll(reserved);
                }
            }
        }
        return offers;
    }

    /**
     * The free members of the lowest penalty tier with a free member that has not yet been tried for
     * {@code e} in this round; when all of that tier were tried, the round starts again.
     */
    static List<QueueRuntime.Member> candidates(QueueRuntime q, Entry e, Instant now) {
        int tier = Integer.MAX_VALUE;
        for (QueueRuntime.Member m : q.members) {
            if (m.penalty() < tier && m.agent().state(now) == Agents.State.FREE) {
                tier = m.penalty();
            }
        }
        if (tier == Integer.MAX_VALUE) {
            return List.of();
        }
        List<QueueRuntime.Member> free = new ArrayList<>();
        List<QueueRuntime.Member> untried = new ArrayList<>();
        for (QueueRuntime.Member m : q.members) {
            if (m.penalty() == tier && m.agent().state(now) == Agents.State.FREE) {
                free.add(m);
                if (!e.tried.contains(m.agent().agentId)) {
                    untried.add(m);
                }
            }
        }
        if (untried.isEmpty()) {
            e.tried.clear(); // every free agent of the tier had its chance: a new round
            return free;
        }
        return untried;
    }

    private List<Agent> pick(QueueRuntime q, List<QueueRuntime.Member> candidates, LocalDate today) {
        Queues.Strategy strategy = q.config.strategy();
        return switch (strategy) {
            case RING_ALL -> candidates.stream().map(QueueRuntime.Member::agent).toList();
            case LINEAR -> List.of(candidates.getFirst().agent());
            case RANDOM -> List.of(candidates.get(random.nextInt(candidates.size())).agent());
            case ROUND_ROBIN -> {
                // the first candidate after the member offered last, wrapping around
                int n = q.members.size();
                Agent chosen = null;
                for (int i = 1; i <= n && chosen == null; i++) {
                    QueueRuntime.Member m = q.members.get(Math.floorMod(q.lastOffered + i, n));
                    if (candidates.contains(m)) {
                        chosen = m.agent();
                        q.lastOffered = Math.floorMod(q.lastOffered + i, n);
                    }
                }
                yield List.of(chosen == null ? candidates.getFirst().agent() : chosen);
            }
            case LEAST_RECENT -> List.of(candidates.stream().map(QueueRuntime.Member::agent)
                    .min(Comparator.comparing((Agent a) -> a.lastCallEnded).thenComparingLong(a -> a.agentId)).orElseThrow());
            case FEWEST_CALLS -> List.of(candidates.stream().map(QueueRuntime.Member::agent)
                    .min(Comparator.comparingInt((Agent a) -> a.callsToday(today)).thenComparingLong(a -> a.agentId)).orElseThrow());
        };
    }
}

package org.callibry.server.acd.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.callibry.server.calls.CallControl;
import org.callibry.server.calls.CallSession;
import org.callibry.shared.api.dto.Agents;
import org.callibry.shared.api.dto.Queues;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One ACD decision in a busy call center: 1,000 agents, 100 queues of 20-40 members each (an agent is in
 * about 3 queues; penalties 0, 1 and 2; every strategy; weights 0-10), 10,000 callers waiting, and no
 * agent free (90 % in a call, 5 % paused, 5 % not registered). Each invocation frees one busy agent,
 * in turn, and times what follows:
 * <ul>
 *   <li>{@code decide}: {@link Distribution#decide} alone; the agent is freed before and the offer undone
 *       after, outside the timing ({@code Level.Invocation} helpers);</li>
 *   <li>{@code decideAndUndo}: the same, the freeing and the undo timed too (no per-invocation helpers,
 *       to check that they do not distort the figure);</li>
 *   <li>{@code acdCallEnded}: the agent's call ends ({@link Acd#callEnded}): bookkeeping, events, the
 *       decision under the lock, and the offer (a leg originated through a port that never answers, a
 *       ring timer); the offer is cancelled and the agent put back in its call outside the timing;</li>
 *   <li>{@code acdSetStatusFree}: the same path from a pause ({@link Acd#setStatus} FREE).</li>
 * </ul>
 * Sample time: JMH prints p50, p99 and p99.9 per benchmark.
 * Run: {@code mvn -B -ntp -o -Pbench -pl server -am verify -DskipTests -Djmh.args=AcdDecisionBenchmark}
 * (see docs/performance.md).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AcdDecisionBenchmark {
    static final long TENANT = 1;
    static final int AGENTS = 1_000;
    static final int QUEUES = 100;
    static final int CALLERS = 10_000;
    static final String OTHER_PARTY = "74950000000";
    static final int[] WEIGHTS = {0, 0, 0, 1, 2, 5, 10};

    /** The call center, built once per fork. */
    @State(Scope.Benchmark)
    public static class World {
        AcdClock clock;
        AgentReservations reservations;
        Acd acd;
        Distribution distribution;
        List<QueueRuntime> queues;
        /** Busy agents in at least one queue, freed in turn. */
        List<Agent> pool;
        int next;
        final List<CompletableFuture<CallSession>> legs = new ArrayList<>();
        long published;

        @Setup(Level.Trial)
        public void build() {
            clock = new AcdClock();
            reservations = AgentReservations.local();
            acd = new Acd(new Acd.Port() {
                @Override
                public CompletableFuture<CallSession> originate(CallControl.Originate request) {
                    CompletableFuture<CallSession> leg = new CompletableFuture<>();
                    legs.add(leg);
                    return leg;
                }

                @Override
                public void publish(Object event) {
                    published++;
                }

                @Override
                public void saveStatus(long agentId, Agents.Status status, String reason) {
                }

                @Override
                public void saveCallback(QueueStore.CallbackRow row) {
                }

                @Override
                public void deleteCallback(String id) {
                }
            }, clock, reservations, RandomGenerator.of("L64X128MixRandom"));
            distribution = new Distribution(reservations, RandomGenerator.of("L64X128MixRandom"));
            SplittableRandom rnd = new SplittableRandom(42);
            Instant now = Instant.now();
            for (int i = 1; i <= AGENTS; i++) {
                acd.agent(new QueueStore.AgentRow(i, TENANT, accountOf(i), null, null, "", now), numberOf(i), i % 20 != 0);
                if (i % 20 == 1) {
                    acd.setStatus(i, Agents.Status.PAUSED, "break");
                } else if (i % 20 != 0) {
                    acd.callStarted(callOf(i), TENANT, numberOf(i), OTHER_PARTY);
                }
            }
            Queues.Strategy[] strategies = Queues.Strategy.values();
            for (int q = 1; q <= QUEUES; q++) {
                int size = 20 + rnd.nextInt(21);
                Set<Integer> picked = new LinkedHashSet<>();
                while (picked.size() < size) {
                    picked.add(1 + rnd.nextInt(AGENTS));
                }
                List<Queues.Member> members = new ArrayList<>();
                for (int agent : picked) {
                    members.add(new Queues.Member(accountOf(agent), rnd.nextInt(3)));
                }
                acd.queue(new Queues.Queue(q, TENANT, "5" + q, "Q" + q, strategies[q % strategies.length], members, List.of(),
                        0, 0, null, null, null, 60, "en", 0, 20, 20, "", 3, 0, WEIGHTS[rnd.nextInt(WEIGHTS.length)], 0, false, 5, List.of(), false, null,
                        null, null));
            }
            for (int c = 1; c <= CALLERS; c++) {
                long q = 1 + rnd.nextInt(QUEUES);
                Acd.Admission a = acd.admit(q, new FakeSession("caller-" + c, "7916" + (1_000_000 + c), "5" + q));
                acd.enter(a.entry());
            }
            queues = acd.queuesForTest();
            Map<Long, Agent> agents = acd.agentsForTest();
            Set<Agent> members = new LinkedHashSet<>();
            int waiting = 0;
            for (QueueRuntime q : queues) {
                waiting += q.waiting.size();
                q.members.forEach(m -> members.add(m.agent()));
            }
            pool = new ArrayList<>();
            for (long id = 1; id <= AGENTS; id++) {
                Agent a = agents.get(id);
                if (members.contains(a) && a.state(clock.now()) == Agents.State.BUSY) {
                    pool.add(a);
                }
            }
            Collections.shuffle(pool, new Random(7));
            if (!legs.isEmpty() || waiting != CALLERS) {
                throw new IllegalStateException("not the intended world: " + legs.size() + " offers, " + waiting + " waiting");
            }
            Map<Queues.Strategy, Integer> byStrategy = new HashMap<>();
            queues.forEach(q -> byStrategy.merge(q.config.strategy(), 1, Integer::sum));
            System.out.printf("%n%d agents (%d busy members freed in turn), %d queues %s, %d memberships, %d waiting%n",
                    agents.size(), pool.size(), queues.size(), byStrategy,
                    queues.stream().mapToInt(q -> q.members.size()).sum(), waiting);
        }

        @TearDown(Level.Trial)
        public void close() {
            clock.close();
        }

        Agent next() {
            Agent a = pool.get(next);
            next = (next + 1) % pool.size();
            return a;
        }

        /** Withdraws what {@code decide} did for the freed agent, checking it offered exactly that agent. */
        void undo(List<Distribution.Offer> offers, Agent freed) {
            if (offers.size() != 1 || offers.getFirst().agents().size() != 1 || offers.getFirst().agents().getFirst() != freed) {
                throw new IllegalStateException("agent " + freed.agentId + " freed, offers: " + offers.size());
            }
            Distribution.Offer o = offers.getFirst();
            freed.offer = null;
            reservations.release(freed.agentId, o.entry().callId);
            o.entry().ringing.clear();
        }

        /** Puts the agent back in its call and cancels the one offer made meanwhile. */
        void backToCall(Agent a) {
            acd.callStarted(callOf(a.agentId), TENANT, a.number, OTHER_PARTY);
            if (legs.size() != 1) {
                throw new IllegalStateException("agent " + a.agentId + " freed, offers: " + legs.size());
            }
            legs.getFirst().cancel(true);
            legs.clear();
            if (a.state(clock.now()) != Agents.State.BUSY) {
                throw new IllegalStateException("agent " + a.agentId + " is " + a.state(clock.now()));
            }
        }
    }

    static long accountOf(long agent) {
        return 10_000 + agent;
    }

    static String numberOf(long agent) {
        return Long.toString(2_000 + agent);
    }

    static String callOf(long agent) {
        return "private-" + agent;
    }

    /** One busy agent freed (without the ACD) before the invocation; its offer undone after. */
    @State(Scope.Thread)
    public static class FreedAgent {
        Agent agent;
        String call;
        List<Distribution.Offer> offers;

        @Setup(Level.Invocation)
        public void free(World w) {
            agent = w.next();
            call = agent.calls.iterator().next();
            agent.calls.remove(call);
        }

        @TearDown(Level.Invocation)
        public void undo(World w) {
            w.undo(offers, agent);
            agent.calls.add(call);
        }
    }

    /** One busy agent, its call ending in the invocation; back in its call after. */
    @State(Scope.Thread)
    public static class EndingCall {
        Agent agent;

        @Setup(Level.Invocation)
        public void pick(World w) {
            agent = w.next();
        }

        @TearDown(Level.Invocation)
        public void back(World w) {
            w.backToCall(agent);
        }
    }

    /** One busy agent paused and out of its call before the invocation, which sets it FREE; back in its call after. */
    @State(Scope.Thread)
    public static class PausedAgent {
        Agent agent;

        @Setup(Level.Invocation)
        public void pause(World w) {
            agent = w.next();
            w.acd.setStatus(agent.agentId, Agents.Status.PAUSED, "bench");
            w.acd.callEnded(callOf(agent.agentId), TENANT, agent.number, OTHER_PARTY);
        }

        @TearDown(Level.Invocation)
        public void back(World w) {
            w.backToCall(agent);
        }
    }

    @Benchmark
    public List<Distribution.Offer> decide(World w, FreedAgent f) {
        f.offers = w.distribution.decide(w.queues, w.clock.now());
        return f.offers;
    }

    @Benchmark
    public int decideAndUndo(World w) {
        Agent a = w.next();
        String call = a.calls.iterator().next();
        a.calls.remove(call);
        List<Distribution.Offer> offers = w.distribution.decide(w.queues, w.clock.now());
        w.undo(offers, a);
        a.calls.add(call);
        return offers.size();
    }

    @Benchmark
    public long acdCallEnded(World w, EndingCall c) {
        w.acd.callEnded(callOf(c.agent.agentId), TENANT, c.agent.number, OTHER_PARTY);
        return w.published;
    }

    @Benchmark
    public Agents.AgentStatus acdSetStatusFree(World w, PausedAgent p) {
        return w.acd.setStatus(p.agent.agentId, Agents.Status.FREE, "");
    }
}

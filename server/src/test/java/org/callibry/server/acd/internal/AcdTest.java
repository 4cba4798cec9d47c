package org.callibry.server.acd.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.random.RandomGenerator;
import org.callibry.server.acd.QueueEvent;
import org.callibry.server.calls.CallControl;
import org.callibry.server.calls.CallOutcome;
import org.callibry.server.calls.CallSession;
import org.callibry.shared.api.dto.Agents;
import org.callibry.shared.api.dto.Queues;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The ACD without SIP or a database: offers, strategies, penalty tiers, queue weights, wrap-up and ring
 * timeouts on the test's clock, auto-pause, callbacks keeping their place, priorities, moves and kicks.
 * Every offer is a pending future the test answers or lets ring.
 */
class AcdTest {
    private final AcdClock clock = new AcdClock();
    private final List<CallControl.Originate> dialled = new CopyOnWriteArrayList<>();
    private final Map<String, CompletableFuture<CallSession>> legs = new ConcurrentHashMap<>();
    private final List<Object> events = new CopyOnWriteArrayList<>();
    private final List<String> savedCallbacks = new CopyOnWriteArrayList<>();
    private final List<String> deletedCallbacks = new CopyOnWriteArrayList<>();
    private final Acd acd = new Acd(new Acd.Port() {
        @Override
        public CompletableFuture<CallSession> originate(CallControl.Originate r) {
            dialled.add(r);
            CompletableFuture<CallSession> f = new CompletableFuture<>();
            legs.put(r.number(), f);
            return f;
        }

        @Override
        public void publish(Object event) {
            events.add(event);
        }

        @Override
        public void saveStatus(long agentId, Agents.Status status, String reason) {
        }

        @Override
        public void saveCallback(QueueStore.CallbackRow row) {
            savedCallbacks.add(row.id());
        }

        @Override
        public void deleteCallback(String id) {
            deletedCallbacks.add(id);
        }
    }, clock, AgentReservations.local(), RandomGenerator.of("L64X128MixRandom"));
    private int calls;

    @AfterEach
    void close() {
        clock.close();
    }

    private void agent(long id, String number) {
        acd.agent(new QueueStore.AgentRow(id, 1, 100 + id, null, null, "", Instant.now()), number, true);
    }

    private Queues.Queue queue(long id, Queues.Strategy strategy, int weight, int wrapUp, int autoPause, Queues.Member... members) {
        Queues.Queue q = new Queues.Queue(id, 1, "50" + id, "Q" + id, strategy, List.of(members), List.of(), 0, 0, null, null, null,
                0, "en", wrapUp, 20, 20, "1", 2, autoPause, weight, 0, false, 5, List.of(), false, null, null, null);
        acd.queue(q);
        return q;
    }

    private static Queues.Member m(long agentId, int penalty) {
        return new Queues.Member(100 + agentId, penalty);
    }

    private Entry caller(long queueId) {
        FakeSession s = new FakeSession("call-" + (++calls), "800" + calls, "50" + queueId);
        Acd.Admission a = acd.admit(queueId, s);
        acd.enter(a.entry());
        s.addListener(new CallSession.Listener() {
            @Override
            public void ended(CallSession session, String reason) {
                acd.callerLeft(a.entry(), reason);
            }
        });
        return a.entry();
    }

    private List<String> ringing() {
        return legs.entrySet().stream().filter(e -> !e.getValue().isDone()).map(Map.Entry::getKey).sorted().toList();
    }

    private FakeSession answer(String number, String callId) {
        FakeSession leg = new FakeSession(callId, "caller", number);
        legs.get(number).complete(leg);
        return leg;
    }

    private Agents.State state(long agentId) {
        return acd.agentView(100 + agentId).orElseThrow().state();
    }

    @Test
    void ringAllOffersTheLowestTierAndTheFirstAnswerTakesTheCall() {
        agent(1, "1001");
        agent(2, "1002");
        agent(3, "1003");
        queue(1, Queues.Strategy.RING_ALL, 0, 0, 0, m(1, 0), m(2, 0), m(3, 1));
        Entry e = caller(1);
        assertThat(ringing()).as("tier 0 only while one of it is free").containsExactly("1001", "1002");
        assertThat(dialled.getFirst().headers()).containsEntry("X-Callibry-Queue", "Q1")
                .as("the console's call id and the wait so far").containsEntry("X-Callibry-Call-Id", e.callId)
                .containsKey("X-Callibry-Queue-Wait");
        assertThat(dialled.getFirst().headers().get("X-Callibry-Queue-Wait")).matches("\\d+");
        assertThat(dialled.getFirst().callId()).as("a leg of the caller's call").isEqualTo(e.callId);
        FakeSession leg = answer("1002", e.callId);
        assertThat(legs.get("1001").isCancelled()).as("the other offer is withdrawn").isTrue();
        assertThat(((FakeSession) e.session).bridged).isSameAs(leg);
        assertThat(state(2)).isEqualTo(Agents.State.BUSY);
        assertThat(state(1)).isEqualTo(Agents.State.FREE);
        Entry next = caller(1);
        assertThat(ringing()).as("the free tier-0 agent first").containsExactly("1001");
        legs.get("1001").completeExceptionally(new IllegalStateException("486 Busy Here"));
        assertThat(ringing()).as("tier 1 is not offered while a tier-0 agent is free: 1001 again, a new round")
                .containsExactly("1001");
        legs.get("1001").complete(new FakeSession(next.callId, "caller", "1001"));
        Entry third = caller(1);
        assertThat(ringing()).as("tier 1 once tier 0 has none free").containsExactly("1003");
        assertThat(dialled.getLast().callId()).isEqualTo(third.callId);
    }

    @Test
    void roundRobinRemembersWhereItStoppedAndLinearStartsOver() {
        agent(1, "1001");
        agent(2, "1002");
        agent(3, "1003");
        queue(1, Queues.Strategy.ROUND_ROBIN, 0, 0, 0, m(1, 0), m(2, 0), m(3, 0));
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Entry e = caller(1);
            String n = ringing().getFirst();
            order.add(n);
            answer(n, e.callId).end("done");
        }
        assertThat(order).containsExactly("1001", "1002", "1003", "1001");
        queue(1, Queues.Strategy.LINEAR, 0, 0, 0, m(1, 0), m(2, 0), m(3, 0));
        order.clear();
        for (int i = 0; i < 3; i++) {
            Entry e = caller(1);
            String n = ringing().getFirst();
            order.add(n);
            answer(n, e.callId).end("done");
        }
        assertThat(order).containsExactly("1001", "1001", "1001");
    }

    @Test
    void fewestCallsAndLeastRecentPickByHistory() {
        agent(1, "1001");
        agent(2, "1002");
        queue(1, Queues.Strategy.FEWEST_CALLS, 0, 0, 0, m(1, 0), m(2, 0));
        Entry e = caller(1);
        answer(ringing().getFirst(), e.callId).end("done"); // 1001 took one
        Entry f = caller(1);
        assertThat(ringing()).containsExactly("1002");
        answer("1002", f.callId).end("done");
        queue(1, Queues.Strategy.LEAST_RECENT, 0, 0, 0, m(1, 0), m(2, 0));
        caller(1);
        assertThat(ringing()).as("1001's last call ended before 1002's").containsExactly("1001");
    }

    @Test
    void aSharedAgentIsFedByTheHeavierQueueAndNeverOfferedTwoCalls() {
        agent(1, "1001");
        queue(1, Queues.Strategy.RING_ALL, 0, 0, 0, m(1, 0));
        queue(2, Queues.Strategy.RING_ALL, 0, 0, 0, m(1, 0));
        acd.setStatus(1, Agents.Status.PAUSED, "lunch");
        for (int i = 0; i < 20; i++) {
            caller(i % 2 + 1);
        }
        queue(2, Queues.Strategy.RING_ALL, 10, 0, 0, m(1, 0));
        acd.setStatus(1, Agents.Status.FREE, "");
        assertThat(dialled).as("one offer at a time").hasSize(1);
        assertThat(dialled.getFirst().headers()).as("the heavier queue first").containsEntry("X-Callibry-Queue", "Q2");
    }

    @Test
    void wrapUpHoldsTheAgentUntilTheClockPassesIt() {
        agent(1, "1001");
        queue(1, Queues.Strategy.LINEAR, 0, 30, 0, m(1, 0));
        Entry e = caller(1);
        FakeSession leg = answer("1001", e.callId);
        Entry waiting = caller(1);
        leg.end("agent hung up");
        assertThat(((FakeSession) e.session).ended).as("the caller is hung up with the agent").isTrue();
        assertThat(state(1)).isEqualTo(Agents.State.WRAP_UP);
        assertThat(acd.agentView(101).orElseThrow().wrapUpEndsAt()).isNotNull();
        assertThat(ringing()).isEmpty();
        clock.advance(Duration.ofSeconds(31));
        await(() -> ringing().contains("1001"));
        assertThat(dialled.getLast().callId()).isEqualTo(waiting.callId);
        assertThat(events).filteredOn(CallOutcome.class::isInstance).map(o -> ((CallOutcome) o).reason())
                .anyMatch(r -> r.startsWith("answered by agent 1001 in queue Q1"));
    }

    @Test
    void missedOffersPauseTheAgentAfterTheQueuesLimit() {
        agent(1, "1001");
        agent(2, "1002");
        queue(1, Queues.Strategy.LINEAR, 0, 0, 2, m(1, 0), m(2, 0));
        Entry e = caller(1);
        assertThat(ringing()).containsExactly("1001");
        clock.advance(Duration.ofSeconds(21));
        await(() -> ringing().equals(List.of("1002")));
        legs.get("1002").completeExceptionally(new IllegalStateException("486"));
        await(() -> ringing().equals(List.of("1001")));
        clock.advance(Duration.ofSeconds(21));
        await(() -> acd.agentView(101).orElseThrow().status() == Agents.Status.PAUSED);
        assertThat(acd.agentView(101).orElseThrow().reason()).isEqualTo("auto-paused after 2 missed offers");
        assertThat(events).filteredOn(QueueEvent.class::isInstance).map(x -> ((QueueEvent) x).type())
                .contains(QueueEvent.Type.OFFERED, QueueEvent.Type.MISSED);
        assertThat(e.served).isFalse();
    }

    @Test
    void anAgentInAPrivateCallIsNotOffered() {
        agent(1, "1001");
        agent(2, "1002");
        queue(1, Queues.Strategy.LINEAR, 0, 0, 0, m(1, 0), m(2, 0));
        acd.callStarted("private", 1L, "1001", "2000");
        assertThat(state(1)).isEqualTo(Agents.State.BUSY);
        caller(1);
        assertThat(ringing()).containsExactly("1002");
        acd.registration(102, 0);
        assertThat(state(2)).as("registration lost").isEqualTo(Agents.State.OFFLINE);
    }

    @Test
    void priorityMoveAndKickReorderTheWaitingList() {
        agent(1, "1001");
        queue(1, Queues.Strategy.LINEAR, 0, 0, 0, m(1, 0));
        queue(2, Queues.Strategy.LINEAR, 0, 0, 0);
        acd.setStatus(1, Agents.Status.PAUSED, "meeting");
        Entry a = caller(1);
        Entry b = caller(1);
        Entry c = caller(1);
        assertThat(acd.waiting(1)).extracting(Queues.Waiting::id).containsExactly(a.id, b.id, c.id);
        acd.setPriority(c.id, 5);
        assertThat(acd.waiting(1)).extracting(Queues.Waiting::id).containsExactly(c.id, a.id, b.id);
        Queues.Waiting moved = acd.move(a.id, 2, QueueEvent.Type.MOVED, "by test");
        assertThat(moved.queueId()).isEqualTo(2);
        assertThat(a.enteredAt).as("the wait is kept").isBefore(b.enteredAt.plusNanos(1));
        assertThat(acd.kick(b.id, null, "kicked by test")).isTrue();
        assertThat(((FakeSession) b.session).ended).isTrue();
        assertThat(acd.waiting(1)).extracting(Queues.Waiting::id).containsExactly(c.id);
        acd.setStatus(1, Agents.Status.FREE, "");
        assertThat(ringing()).containsExactly("1001");
        assertThat(dialled.getLast().callId()).isEqualTo(c.callId);
    }

    @Test
    void aCallbackKeepsItsPlaceCallsTheAgentFirstThenTheCustomer() {
        agent(1, "1001");
        queue(1, Queues.Strategy.LINEAR, 0, 0, 0, m(1, 0));
        acd.setStatus(1, Agents.Status.PAUSED, "busy");
        Entry first = caller(1);
        FakeSession firstLeg = (FakeSession) first.session;
        Entry second = caller(1);
        assertThat(acd.requestCallback(first, "5550001")).isTrue();
        firstLeg.end("caller hung up after the confirmation");
        assertThat(acd.waiting(1)).extracting(Queues.Waiting::kind).containsExactly(Queues.Kind.CALLBACK, Queues.Kind.CALL);
        assertThat(acd.waiting(1).getFirst().caller()).isEqualTo("5550001");
        assertThat(savedCallbacks).containsExactly(first.id);
        acd.setStatus(1, Agents.Status.FREE, "");
        assertThat(ringing()).as("the agent first").containsExactly("1001");
        FakeSession agentLeg = answer("1001", first.callId);
        assertThat(ringing()).as("then the customer").containsExactly("5550001");
        FakeSession customer = answer("5550001", first.callId);
        assertThat(agentLeg.bridged).isSameAs(customer);
        assertThat(deletedCallbacks).containsExactly(first.id);
        assertThat(acd.waiting(1)).extracting(Queues.Waiting::id).containsExactly(second.id);
    }

    @Test
    void aCallerWhoHangsUpAbandonsAndTheRecordSaysSo() {
        agent(1, "1001");
        queue(1, Queues.Strategy.LINEAR, 0, 0, 0, m(1, 0));
        Entry e = caller(1);
        ((FakeSession) e.session).end("BYE");
        assertThat(legs.get("1001").isCancelled()).isTrue();
        assertThat(state(1)).isEqualTo(Agents.State.FREE);
        assertThat(events).filteredOn(CallOutcome.class::isInstance).map(o -> ((CallOutcome) o).reason())
                .anyMatch(r -> r.startsWith("abandoned in queue Q1 after 0 s at position 1"));
    }

    private static void await(java.util.function.BooleanSupplier condition) {
        long deadline = System.currentTimeMillis() + 5_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("condition not met in 5 s");
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void offersFailingOneAfterTheOtherBackOff() {
        agent(1, "1001");
        agent(2, "1002");
        queue(1, Queues.Strategy.LINEAR, 0, 0, 0, m(1, 0), m(2, 0));
        caller(1);
        for (int i = 0; i < 10 && !ringing().isEmpty(); i++) {
            legs.get(ringing().getFirst()).completeExceptionally(new IllegalStateException("503 no media node"));
        }
        assertThat(dialled).as("three offers fail, then the caller waits instead of spinning").hasSize(3);
        clock.advance(Duration.ofSeconds(2));
        await(() -> dialled.size() == 4);
    }

    @Test
    void stoppingWithOffersRingingCancelsThemAndHangsTheCallersUp() {
        agent(1, "1001");
        agent(2, "1002");
        queue(1, Queues.Strategy.RING_ALL, 0, 0, 0, m(1, 0), m(2, 0));
        Entry e = caller(1);
        assertThat(ringing()).containsExactly("1001", "1002");
        acd.stop(); // a cancelled offer leaves the entry's list of legs while the shutdown goes through it
        assertThat(legs.get("1001").isCancelled()).isTrue();
        assertThat(legs.get("1002").isCancelled()).isTrue();
        assertThat(((FakeSession) e.session).ended).isTrue();
        assertThat(events).filteredOn(CallOutcome.class::isInstance).map(o -> ((CallOutcome) o).reason())
                .anyMatch(r -> r.startsWith("server stopped while waiting in queue Q1"));
    }

    @Test
    void aCallerSentToANamedAgentIsOfferedEvenBehindOthersWhenEveryoneIsBusy() {
        agent(1, "1001");
        agent(2, "1002");
        queue(1, Queues.Strategy.LINEAR, 0, 0, 0, m(1, 0));
        acd.callStarted("private", 1L, "1001", "3000");
        caller(1);
        Entry second = caller(1);
        assertThat(acd.directToAgent(second.id, 102)).isTrue();
        assertThat(ringing()).as("the named agent, not a member, rings for the caller behind").containsExactly("1002");
        assertThat(dialled.getLast().callId()).isEqualTo(second.callId);
    }
}

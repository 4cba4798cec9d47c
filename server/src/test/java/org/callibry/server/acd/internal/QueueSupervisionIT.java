package org.callibry.server.acd.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.callibry.server.api.ApiTestSupport;
import org.callibry.shared.testing.FreePorts;
import org.callibry.server.testing.Sipp;
import org.callibry.shared.api.client.CallibryClient;
import org.callibry.shared.api.dto.Accounts;
import org.callibry.shared.api.dto.Agents;
import org.callibry.shared.api.dto.Calls;
import org.callibry.shared.api.dto.Domains;
import org.callibry.shared.api.dto.Queues;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The supervisor's control with real SIP parties (SIPp callers that wait until hung up, SIPp agents
 * and phones): a priority change decides who is served next, a move keeps the wait, a kick hangs up or
 * sends the caller to a number, direct-to-agent rings the chosen agent, an answered call is transferred,
 * and the overflows on timeout (on the ACD's clock), when full and with no agent logged in.
 */
class QueueSupervisionIT extends QueueTestSupport {
    @Test
    void priorityMoveKickAndDirectToAgent() throws Exception {
        Accounts.Account agent = account("61");
        Accounts.Account other = account("62");
        Queues.Queue support = queue("531", Queues.Strategy.LINEAR, List.of(agent), null, null, null, null, null);
        Queues.Queue sales = queue("532", Queues.Strategy.LINEAR, List.of(), null, null, null, null, null);
        admin.setAgentStatus(new Agents.SetStatus(Agents.Status.PAUSED, "briefing", agent.id()));
        Sipp.Running agentPhone = phone(agent, "uas-queue-agent.xml");
        Sipp.Running otherPhone = phone(other, "uas-bye.xml");
        Accounts.Account c1 = account("81");
        Accounts.Account c2 = account("82");
        Accounts.Account c3 = account("83");
        Sipp.Running call1 = caller(c1, support.number());
        waitFor(support.id(), 1);
        Sipp.Running call2 = caller(c2, support.number());
        waitFor(support.id(), 2);
        Sipp.Running call3 = caller(c3, support.number());
        List<Queues.Waiting> w = waitFor(support.id(), 3);
        assertThat(w).extracting(Queues.Waiting::caller).containsExactly(c1.number(), c2.number(), c3.number());

        Queues.Waiting third = admin.setQueuePriority(w.get(2).id(), 5);
        assertThat(third.position()).as("a priority change puts it first").isEqualTo(1);
        assertThat(admin.queueWaiting(support.id())).extracting(Queues.Waiting::caller)
                .containsExactly(c3.number(), c1.number(), c2.number());

        Queues.Waiting moved = admin.moveToQueue(w.get(0).id(), sales.id());
        assertThat(moved.queueId()).isEqualTo(sales.id());
        assertThat(moved.enteredAt()).as("the move keeps the wait").isEqualTo(w.get(0).enteredAt());
        assertThat(admin.queueWaiting(support.id())).extracting(Queues.Waiting::caller).containsExactly(c3.number(), c2.number());

        admin.kick(w.get(1).id(), other.number());
        passed(otherPhone, "the kicked caller is sent to the other phone, which answers and hangs up");
        passed(call2, "the kicked caller gets the BYE after that call");
        admin.kick(moved.id(), null);
        passed(call1, "a kick without destination hangs up");

        admin.directToAgent(w.get(2).id(), agent.id());
        passed(agentPhone, "the chosen agent is rung even while paused, answers and hangs up");
        passed(call3, "the caller gets the BYE");
        assertThat(admin.queueWaiting(support.id())).isEmpty();
        assertThat(admin.queueWaiting(sales.id())).isEmpty();
    }

    @Test
    void anAnsweredQueueCallIsTransferredToAnotherNumber() throws Exception {
        Accounts.Account agent = account("63");
        Accounts.Account target = account("64");
        Queues.Queue q = queue("533", Queues.Strategy.RING_ALL, List.of(agent), null, null, null, null, null);
        Sipp.Running agentPhone = phone(agent, "uas.xml");
        Sipp.Running targetPhone = phone(target, "uas-bye.xml");
        await(() -> admin.agentStatus(agent.id()).state() == Agents.State.FREE, "agent free");
        Accounts.Account c = account("84");
        Sipp.Running call = caller(c, q.number());
        await(() -> admin.calls(null).stream().anyMatch(x -> x.queueId() != null && x.queueId() == q.id()
                && "ANSWERED".equals(x.state())), "the call answered");
        Calls.Call answered = admin.calls(null).stream().filter(x -> x.queueId() != null && x.queueId() == q.id()).findFirst()
                .orElseThrow();
        assertThat(answered.agent()).isEqualTo(agent.number());
        admin.transferCall(answered.id(), target.number());
        passed(agentPhone, "the agent's leg is hung up once the target answers");
        passed(targetPhone, "the target answers and hangs up");
        passed(call, "the caller, connected to the target, gets the BYE");
    }

    @Test
    void overflowOnTimeoutWhenFullAndWithoutAgents() throws Exception {
        Accounts.Account agent = account("65");
        Accounts.Account nobody = account("66");
        Accounts.Account fallback = account("67");
        Queues.Queue spill = queue("534", Queues.Strategy.LINEAR, List.of(agent), null, null, null, null, null);
        Queues.Overflow toSpill = new Queues.Overflow(Queues.OverflowKind.QUEUE, Long.toString(spill.id()));
        Queues.Overflow toFallback = new Queues.Overflow(Queues.OverflowKind.ACCOUNT, Long.toString(fallback.id()));
        Queues.Queue q = queue("535", Queues.Strategy.LINEAR, List.of(agent), 1, 600, toSpill, toFallback, null);
        Queues.Queue empty = queue("536", Queues.Strategy.LINEAR, List.of(nobody), null, null, null, null, toSpill);
        admin.setAgentStatus(new Agents.SetStatus(Agents.Status.PAUSED, "busy", agent.id()));
        phone(agent, "uas.xml");
        Sipp.Running fallbackPhone = phone(fallback, "uas-bye.xml");

        Sipp.Running first = caller(account("85"), q.number());
        Queues.Waiting waiting = waitFor(q.id(), 1).getFirst();
        Sipp.Running second = caller(account("86"), q.number());
        passed(fallbackPhone, "the queue is full (maxWaiting 1): the second caller goes to the fallback account");
        passed(second, "and gets the BYE after that call");

        clock.advance(Duration.ofSeconds(601));
        List<Queues.Waiting> spilled = waitFor(spill.id(), 1);
        assertThat(spilled.getFirst().id()).as("after maxWaitSeconds the caller moved to the overflow queue")
                .isEqualTo(waiting.id());
        assertThat(admin.queueWaiting(q.id())).isEmpty();

        Sipp.Running third = caller(account("87"), empty.number());
        waitFor(spill.id(), 2);
        assertThat(admin.queueWaiting(empty.id())).as("no agent logged in: straight to the overflow queue").isEmpty();
        for (Queues.Waiting x : admin.queueWaiting(spill.id())) {
            admin.kick(x.id(), null);
        }
        passed(first, "hung up by the kick");
        passed(third, "hung up by the kick");
    }

    @Test
    void anAgentOnAPrivateCallIsNotOffered() throws Exception {
        Accounts.Account busy = account("68");
        Accounts.Account free = account("69");
        Queues.Queue q = queue("537", Queues.Strategy.LINEAR, List.of(busy, free), null, null, null, null, null);
        phone(busy, "uas.xml");
        Sipp.Running freePhone = phone(free, "uas-queue-agent.xml");
        java.time.Instant from = java.time.Instant.now();
        caller(account("88"), busy.number());
        await(() -> admin.agentStatus(busy.id()).state() == Agents.State.BUSY, "the first agent busy on a private call");
        Sipp.Running call = caller(account("89"), q.number());
        passed(freePhone, "the offer goes to the second agent, who answers and hangs up");
        passed(call, "the caller gets the BYE");
        // not the state at the end: the private call carries no media, and the server ends such calls after 5 s
        var log = admin.queueLog(new org.callibry.shared.api.dto.QueueLogs.SearchParams(from, java.time.Instant.now().plusSeconds(5),
                q.id(), null, null, 0, 1000)).items();
        assertThat(log).filteredOn(e -> "OFFERED".equals(e.event())).as("offers of the queue call").isNotEmpty()
                .allSatisfy(e -> assertThat(e.accountId()).as("offered to the free agent only").isEqualTo(free.id()));
    }

    /** {@code queue.waitingChanged} and {@code agent.statusChanged} to the tenant's supervisors, {@code call.offered} to the agent's user only. */
    @Test
    void queueEventsArePushed() throws Exception {
        Accounts.Account agent = account("70");
        Queues.Queue q = queue("538", Queues.Strategy.LINEAR, List.of(agent), null, null, null, null, null);
        String operatorName = unique("op");
        String supervisorName = unique("sup");
        admin.users().create(new org.callibry.shared.api.dto.Users.Create(operatorName, PASSWORD,
                org.callibry.shared.api.Role.OPERATOR, demo.tenantId(), agent.id(), "Operator", null));
        admin.users().create(new org.callibry.shared.api.dto.Users.Create(supervisorName, PASSWORD,
                org.callibry.shared.api.Role.SUPERVISOR, demo.tenantId(), null, "Supervisor", null));
        CallibryClient operator = as(operatorName);
        CallibryClient supervisor = as(supervisorName);
        java.util.concurrent.BlockingQueue<org.callibry.shared.api.dto.Notification> toOperator =
                new java.util.concurrent.LinkedBlockingQueue<>();
        java.util.concurrent.BlockingQueue<org.callibry.shared.api.dto.Notification> toSupervisor =
                new java.util.concurrent.LinkedBlockingQueue<>();
        try (var a = operator.subscribe(toOperator::add); var b = supervisor.subscribe(toSupervisor::add)) {
            Sipp.Running agentPhone = phone(agent, "uas-queue-agent.xml");
            Sipp.Running call = caller(account("90"), q.number());
            passed(agentPhone, "the agent answers and hangs up");
            passed(call, "the caller gets the BYE");
            List<org.callibry.shared.api.dto.Notification> sup = drain(toSupervisor);
            List<org.callibry.shared.api.dto.Notification> op = drain(toOperator);
            assertThat(sup).filteredOn(x -> x.method().equals("queue.waitingChanged"))
                    .anySatisfy(x -> assertThat(x.params().get("waiting").size()).isEqualTo(1))
                    .anySatisfy(x -> assertThat(x.params().get("waiting").size()).isZero());
            assertThat(sup).filteredOn(x -> x.method().equals("agent.statusChanged")
                            && x.params().get("accountId").asLong() == agent.id())
                    .extracting(x -> x.params().get("state").asString()).contains("RINGING", "BUSY");
            assertThat(op).filteredOn(x -> x.method().equals("call.offered")).singleElement()
                    .satisfies(x -> assertThat(x.params().get("queueName").asString()).isEqualTo(q.name()));
            assertThat(sup).as("call.offered goes to the agent's user only").noneMatch(x -> x.method().equals("call.offered"));
        }
    }

    private static List<org.callibry.shared.api.dto.Notification> drain(
            java.util.concurrent.BlockingQueue<org.callibry.shared.api.dto.Notification> q) throws InterruptedException {
        List<org.callibry.shared.api.dto.Notification> out = new ArrayList<>();
        org.callibry.shared.api.dto.Notification n;
        while ((n = q.poll(1, java.util.concurrent.TimeUnit.SECONDS)) != null) {
            out.add(n);
        }
        return out;
    }
}

package org.callibry.server.acd.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.callibry.server.api.ApiTestSupport;
import org.callibry.shared.testing.FreePorts;
import org.callibry.server.testing.Sipp;
import org.callibry.shared.api.client.CallibryClient;
import org.callibry.shared.api.dto.Accounts;
import org.callibry.shared.api.dto.Agents;
import org.callibry.shared.api.dto.Domains;
import org.callibry.shared.api.dto.Queues;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Callback by DTMF with real SIP parties, across a restart of the ACD: a SIPp caller waits (the only
 * agent is paused), presses the callback digit and {@code #} (its own number), hears the confirmation and
 * is hung up; its place is a CALLBACK in the waiting list, stored; the ACD restarts (everything reread from
 * PostgreSQL) and the callback is still there; the agent becomes free and is called first (a SIPp agent
 * that answers), then the customer (a SIPp phone registered as the caller's account), and both are bridged.
 */
class QueueCallbackIT extends ApiTestSupport {
    @TempDir
    Path tmp;

    @Autowired
    AcdService acd;

    @Test
    void aCallbackKeepsItsPlaceAcrossARestartAndCallsTheAgentFirst() throws Exception {
        CallibryClient admin = admin();
        Domains.Domain demo = admin.domains().list(new Domains.ListParams(null, "demo.callibry.test", null, null)).items().getFirst();
        int n = 10_000 + (int) (Math.random() * 80_000);
        Accounts.Account caller = admin.accounts().create(new Accounts.Create(demo.id(), "7" + n, "Customer", PASSWORD, null));
        Accounts.Account agent = admin.accounts().create(new Accounts.Create(demo.id(), "6" + n, "Agent", PASSWORD, null));
        for (Accounts.Account a : List.of(caller, agent)) {
            Map<String, Object> local = new LinkedHashMap<>();
            local.put("name", unique("local"));
            local.put("priority", 1);
            local.put("bNumberMask", "^" + a.number() + "$");
            local.put("destinationType", "LOCAL");
            admin.call("route.create", local, JsonNode.class);
        }
        Queues.Create create = new Queues.Create(demo.tenantId(), "54" + n, unique("Callback"), Queues.Strategy.LINEAR,
                List.of(new Queues.Member(agent.id(), 0)), null, null, null, null, null, null, 0, "en", 0, 15, 20, "1", 2,
                null, null, null, null, null, null, null, null);
        Queues.Queue queue = admin.call("queue.create", create, Queues.Queue.class);
        admin.setAgentStatus(new Agents.SetStatus(Agents.Status.PAUSED, "training", agent.id()));

        int agentPort = FreePorts.udpAndTcp();
        int customerPort = FreePorts.udpAndTcp();
        register(agent, agentPort);
        try (DatagramSocket media = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Path inject = Sipp.injection(tmp, "caller.csv", List.of(List.of(caller.number(), PASSWORD, queue.number())));
            Sipp.Result asked = Sipp.run(tmp, "127.0.0.1:" + SIP_PORT, "uac-callback.xml", FreePorts.udpAndTcp(), "-m", "1",
                    "-inf", inject.toString(), "-key", "caller_rtp", Integer.toString(media.getLocalPort()));
            assertThat(asked.passed()).as("digit 1, then #, the confirmation and the queue's BYE: " + asked.output()).isTrue();
        }
        List<Queues.Waiting> waiting = admin.queueWaiting(queue.id());
        assertThat(waiting).singleElement().satisfies(w -> {
            assertThat(w.kind()).isEqualTo(Queues.Kind.CALLBACK);
            assertThat(w.caller()).as("its own number").isEqualTo(caller.number());
        });

        acd.stop();
        acd.start();
        List<Queues.Waiting> afterRestart = admin.queueWaiting(queue.id());
        assertThat(afterRestart).as("the callback survives the restart").extracting(Queues.Waiting::id)
                .containsExactly(waiting.getFirst().id());

        register(caller, customerPort);
        try (Sipp.Running agentPhone = Sipp.start(tmp, null, "uas-queue-agent.xml", agentPort, "-m", "1");
             Sipp.Running customerPhone = Sipp.start(tmp, null, "uas.xml", customerPort, "-m", "1")) {
            admin.setAgentStatus(new Agents.SetStatus(Agents.Status.FREE, null, agent.id()));
            Sipp.Result a = agentPhone.await(Duration.ofSeconds(40));
            assertThat(a.passed()).as("the agent is called first, answers, talks and hangs up: " + a.output()).isTrue();
            Sipp.Result c = customerPhone.await(Duration.ofSeconds(20));
            assertThat(c.passed()).as("then the customer is called, answers and gets the BYE: " + c.output()).isTrue();
        }
        List<Queues.Waiting> done = admin.queueWaiting(queue.id());
        assertThat(done).as("the callback is done").isEmpty();
    }

    private void register(Accounts.Account account, int port) throws Exception {
        Path users = Sipp.injection(tmp, "reg-" + account.number() + ".csv", List.of(List.of(account.number(), PASSWORD, "300")));
        assertThat(Sipp.run(tmp, "127.0.0.1:" + SIP_PORT, "register.xml", port, "-inf", users.toString(), "-m", "1").passed())
                .isTrue();
    }

    /** The server stops with a caller waiting: the caller gets a BYE and its record says why. */
    @Test
    void callersWaitingWhenTheServerStopsEndCleanly() throws Exception {
        CallibryClient admin = admin();
        Domains.Domain demo = admin.domains().list(new Domains.ListParams(null, "demo.callibry.test", null, null)).items().getFirst();
        int n = 10_000 + (int) (Math.random() * 80_000);
        Accounts.Account caller = admin.accounts().create(new Accounts.Create(demo.id(), "5" + n, "Customer", PASSWORD, null));
        Queues.Queue queue = admin.queues().create(Queues.Create.of(demo.tenantId(), "56" + n, unique("Stop"),
                Queues.Strategy.RING_ALL, List.of()));
        try (DatagramSocket media = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Path inject = Sipp.injection(tmp, "stop.csv", List.of(List.of(caller.number(), PASSWORD, queue.number())));
            try (Sipp.Running waiting = Sipp.start(tmp, "127.0.0.1:" + SIP_PORT, "uac-queue-wait.xml", FreePorts.udpAndTcp(),
                    "-m", "1", "-inf", inject.toString(), "-key", "caller_rtp", Integer.toString(media.getLocalPort()))) {
                long deadline = System.currentTimeMillis() + 15_000;
                while (admin.queueWaiting(queue.id()).isEmpty() && System.currentTimeMillis() < deadline) {
                    Thread.sleep(100);
                }
                assertThat(admin.queueWaiting(queue.id())).hasSize(1);
                acd.stop();
                try {
                    Sipp.Result r = waiting.await(Duration.ofSeconds(20));
                    assertThat(r.passed()).as("the waiting caller gets a BYE: " + r.output()).isTrue();
                } finally {
                    acd.start();
                }
            }
        }
        long deadline = System.currentTimeMillis() + 15_000;
        org.callibry.shared.api.dto.Cdrs.Cdr leg = null;
        while (System.currentTimeMillis() < deadline && (leg == null || !leg.reason().startsWith("server stopped"))) {
            leg = admin.cdrs(new org.callibry.shared.api.dto.Cdrs.SearchParams(caller.number(), null,
                    org.callibry.shared.api.dto.Cdrs.Match.EXACT, null, null, null, null, null, null, null)).items().stream()
                    .findFirst().orElse(null);
            Thread.sleep(300);
        }
        assertThat(leg).isNotNull();
        assertThat(leg.reason()).startsWith("server stopped while waiting in queue " + queue.name());
        assertThat(leg.disposition()).isEqualTo(org.callibry.shared.api.dto.Cdrs.Disposition.FAILED);
    }
}

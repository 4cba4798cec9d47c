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
import org.callibry.shared.api.dto.Domains;
import org.callibry.shared.api.dto.Queues;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Distribution with real SIP agents (SIPp): ring-all rings every free agent and cancels the others when
 * one answers; round robin goes on from the agent offered last; a tier-0 agent that declines is paused
 * after the queue's limit and the call goes to tier 1; wrap-up (on the ACD's clock) holds an agent back.
 */
class QueueStrategiesIT extends QueueTestSupport {
    @Autowired
    org.callibry.server.testing.CallEventLog log;

    @Test
    void ringAllRingsEveryFreeAgentAndCancelsTheOthers() throws Exception {
        Accounts.Account a = account("71");
        Accounts.Account b = account("72");
        Queues.Queue q = queue("541", Queues.Strategy.RING_ALL, List.of(a, b), null, null, null, null, null);
        Sipp.Running ringing = phone(a, "uas-ring.xml");
        Sipp.Running answering = phone(b, "uas-queue-agent.xml");
        Sipp.Running call = caller(account("91"), q.number());
        passed(answering, "one agent answers and hangs up");
        passed(ringing, "the other was rung too, and cancelled");
        passed(call, "the caller gets the BYE");
    }

    @Test
    void roundRobinGoesOnFromTheAgentOfferedLast() throws Exception {
        Accounts.Account a = account("73");
        Accounts.Account b = account("74");
        Queues.Queue q = queue("542", Queues.Strategy.ROUND_ROBIN, List.of(a, b), null, null, null, null, null);
        Sipp.Running first = phone(a, "uas-queue-agent.xml");
        Sipp.Running second = phone(b, "uas-queue-agent.xml");
        Sipp.Running call1 = caller(account("92"), q.number());
        passed(first, "the first call goes to the first member");
        passed(call1, "BYE");
        Sipp.Running call2 = caller(account("93"), q.number());
        passed(second, "the next call to the second member, although the first is free again");
        passed(call2, "BYE");
    }

    @Test
    void aDecliningAgentIsPausedAndTheCallGoesToTheNextTier() throws Exception {
        Accounts.Account a = account("75");
        Accounts.Account b = account("76");
        Queues.Queue q = admin.queues().create(new Queues.Create(demo.tenantId(), "543" + n, unique("Tiers"), Queues.Strategy.LINEAR,
                List.of(new Queues.Member(a.id(), 0), new Queues.Member(b.id(), 1)), null, null, null, null, null, null, 0, "en", 0,
                15, 20, "", null, 1, null, null, null, null, null, null, null));
        Sipp.Running declines = phone(a, "uas-busy.xml");
        Sipp.Running backup = phone(b, "uas-queue-agent.xml");
        Sipp.Running call = caller(account("94"), q.number());
        passed(declines, "the tier-0 agent is offered first and declines");
        passed(backup, "the tier-1 agent gets it once tier 0 has no free agent");
        passed(call, "BYE");
        Agents.AgentStatus paused = admin.agentStatus(a.id());
        assertThat(paused.status()).isEqualTo(Agents.Status.PAUSED);
        assertThat(paused.reason()).isEqualTo("auto-paused after 1 missed offers");
    }

    @Test
    void wrapUpHoldsTheAgentBackUntilItEnds() throws Exception {
        Accounts.Account a = account("77");
        Queues.Queue q = admin.queues().create(new Queues.Create(demo.tenantId(), "544" + n, unique("Wrap"), Queues.Strategy.LINEAR,
                List.of(new Queues.Member(a.id(), 0)), null, null, null, null, null, null, 0, "en", 300, 15, 20, "", null, null,
                null, null, null, null, null, null, null));
        Sipp.Running first = phone(a, "uas-queue-agent.xml");
        Sipp.Running call1 = caller(account("95"), q.number());
        passed(first, "the agent takes the first call");
        passed(call1, "BYE");
        await(() -> admin.agentStatus(a.id()).state() == Agents.State.WRAP_UP, "wrap-up");
        Sipp.Running second = phone(a, "uas-queue-agent.xml");
        Sipp.Running call2 = caller(account("96"), q.number());
        waitFor(q.id(), 1);
        Thread.sleep(1_000);
        assertThat(admin.queueWaiting(q.id())).as("not offered during the wrap-up").hasSize(1);
        assertThat(admin.agentStatus(a.id()).state()).isEqualTo(Agents.State.WRAP_UP);
        clock.advance(Duration.ofSeconds(301));
        passed(second, "offered once the wrap-up is over");
        passed(call2, "BYE");
    }

    /**
     * An agent in two queues, six callers waiting at once: the heavier queue's callers are served first,
     * and the agent is never offered a call while it is ringing for or talking in another.
     */
    @Test
    void aSharedAgentIsFedByWeightAndNeverOfferedTwoCalls() throws Exception {
        Accounts.Account a = account("78");
        Queues.Queue light = queue("545", Queues.Strategy.RING_ALL, List.of(a), null, null, null, null, null);
        Queues.Queue heavy = admin.queues().create(new Queues.Create(demo.tenantId(), "546" + n, unique("Heavy"),
                Queues.Strategy.RING_ALL, List.of(new Queues.Member(a.id(), 0)), null, null, null, null, null, null, 0, "en", 0,
                15, 20, "", null, null, 10, null, null, null, null, null, null));
        admin.setAgentStatus(new Agents.SetStatus(Agents.Status.PAUSED, "not yet", a.id()));
        int port = FreePorts.udpAndTcp();
        Path users = Sipp.injection(tmp, "reg-shared.csv", List.of(List.of(a.number(), PASSWORD, "300")));
        assertThat(Sipp.run(tmp, "127.0.0.1:" + SIP_PORT, "register.xml", port, "-inf", users.toString(), "-m", "1").passed())
                .isTrue();
        List<Sipp.Running> callers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            callers.add(caller(account("97" + i), light.number()));
            callers.add(caller(account("98" + i), heavy.number()));
        }
        waitFor(light.id(), 3);
        waitFor(heavy.id(), 3);
        Sipp.Running agent = Sipp.start(tmp, null, "uas-queue-agent-quick.xml", port, "-m", "6");
        open.add(agent);
        admin.setAgentStatus(new Agents.SetStatus(Agents.Status.FREE, null, a.id()));
        passed(agent, "the agent takes the six calls one after the other");
        for (Sipp.Running c : callers) {
            passed(c, "every caller is served");
        }
        List<org.callibry.server.acd.QueueEvent> mine = log.await(org.callibry.server.acd.QueueEvent.class,
                e -> e.accountId() != null && e.accountId() == a.id() && e.type() != org.callibry.server.acd.QueueEvent.Type.ANNOUNCED, Duration.ofSeconds(1));
        List<Long> offeredQueues = new ArrayList<>();
        int holding = 0;
        for (org.callibry.server.acd.QueueEvent e : mine) {
            switch (e.type()) {
                case OFFERED -> {
                    assertThat(holding).as("offered while already holding a call: " + mine).isZero();
                    holding++;
                    offeredQueues.add(e.queueId());
                }
                case MISSED, ENDED -> holding--;
                default -> {
                }
            }
        }
        assertThat(offeredQueues).as("the heavier queue first").containsExactly(heavy.id(), heavy.id(), heavy.id(),
                light.id(), light.id(), light.id());
    }
}

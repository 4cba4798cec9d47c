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
 * What the queue ITs with SIPp parties share: accounts with a LOCAL route each, queues, registered phones
 * running a scenario, callers that wait until the server hangs them up, and waits with a deadline.
 */
abstract class QueueTestSupport extends ApiTestSupport {
    @TempDir
    Path tmp;

    @Autowired
    AcdClock clock;

    CallibryClient admin;
    Domains.Domain demo;
    int n;
    final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void setUp() {
        admin = admin();
        demo = admin.domains().list(new Domains.ListParams(null, "demo.callibry.test", null, null)).items().getFirst();
        n = 10_000 + (int) (Math.random() * 80_000);
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    Accounts.Account account(String prefix) {
        Accounts.Account a = admin.accounts().create(new Accounts.Create(demo.id(), prefix + n, "Party " + prefix, PASSWORD, null));
        Map<String, Object> local = new LinkedHashMap<>();
        local.put("name", unique("local"));
        local.put("priority", 1);
        local.put("bNumberMask", "^" + a.number() + "$");
        local.put("destinationType", "LOCAL");
        admin.call("route.create", local, JsonNode.class);
        return a;
    }

    Queues.Queue queue(String prefix, Queues.Strategy strategy, List<Accounts.Account> members, Integer maxWaiting,
                               Integer maxWaitSeconds, Queues.Overflow onTimeout, Queues.Overflow whenFull, Queues.Overflow noAgents) {
        return admin.queues().create(new Queues.Create(demo.tenantId(), prefix + n, unique("Q" + prefix), strategy,
                members.stream().map(a -> new Queues.Member(a.id(), 0)).toList(), null, maxWaiting, maxWaitSeconds, onTimeout,
                whenFull, noAgents, 0, "en", 0, 15, 20, "", null, null, null, null, null, null, null, null, null));
    }

    /** A registered phone running {@code scenario} (an agent or any callee). */
    Sipp.Running phone(Accounts.Account a, String scenario) throws Exception {
        int port = FreePorts.udpAndTcp();
        Path users = Sipp.injection(tmp, "reg-" + a.number() + ".csv", List.of(List.of(a.number(), PASSWORD, "300")));
        assertThat(Sipp.run(tmp, "127.0.0.1:" + SIP_PORT, "register.xml", port, "-inf", users.toString(), "-m", "1").passed())
                .isTrue();
        Sipp.Running r = Sipp.start(tmp, null, scenario, port, "-m", "1");
        open.add(r);
        return r;
    }

    /** A caller dialling {@code number} and waiting until the server hangs it up. */
    Sipp.Running caller(Accounts.Account a, String number) throws Exception {
        DatagramSocket media = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        open.add(media);
        Path inject = Sipp.injection(tmp, "call-" + a.number() + "-" + number + ".csv", List.of(List.of(a.number(), PASSWORD, number)));
        Sipp.Running r = Sipp.start(tmp, "127.0.0.1:" + SIP_PORT, "uac-queue-wait.xml", FreePorts.udpAndTcp(), "-m", "1",
                "-inf", inject.toString(), "-key", "caller_rtp", Integer.toString(media.getLocalPort()));
        open.add(r);
        return r;
    }

    List<Queues.Waiting> waitFor(long queueId, int count) throws InterruptedException {
        await(() -> admin.queueWaiting(queueId).size() == count, "queue " + queueId + " has " + count + " waiting");
        return admin.queueWaiting(queueId);
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (!condition.getAsBoolean()) {
            assertThat(System.currentTimeMillis()).as(what).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    static void passed(Sipp.Running r, String what) throws Exception {
        Sipp.Result result = r.await(Duration.ofSeconds(40));
        assertThat(result.passed()).as(what + ": " + result.output()).isTrue();
    }
}

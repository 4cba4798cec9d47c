package org.callibry.server.acd.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.callibry.shared.testing.FreePorts;
import org.callibry.server.testing.Sipp;
import org.callibry.shared.api.dto.Accounts;
import org.callibry.shared.api.dto.Agents;
import org.callibry.shared.api.dto.QueueLogs;
import org.callibry.shared.api.dto.Queues;
import org.junit.jupiter.api.Test;

/**
 * The queue log with real SIP parties: a caller who gives up and one an agent answers leave their
 * events (entered, offered, answered, ended, abandoned) and the agent's changes in {@code queue.log},
 * and one row each in {@code GET /api/queue-log.csv}.
 */
class QueueLogIT extends QueueTestSupport {

    @Test
    void queueCallsAreLoggedAndExported() throws Exception {
        Instant from = Instant.now().minusSeconds(1);
        Accounts.Account agent = account("79");
        Queues.Queue q = queue("547", Queues.Strategy.LINEAR, List.of(agent), null, null, null, null, null);
        assertThat(stats(q)).as("read once, before any call").satisfies(s -> assertThat(s.offeredToday()).isZero());
        java.util.concurrent.BlockingQueue<org.callibry.shared.api.dto.Notification> pushed = new java.util.concurrent.LinkedBlockingQueue<>();
        AutoCloseable subscription = admin.subscribe(pushed::add);
        open.add(subscription);
        admin.setAgentStatus(new Agents.SetStatus(Agents.Status.PAUSED, "coffee", agent.id()));
        Sipp.Running agentPhone = phone(agent, "uas-queue-agent-quick.xml");
        Accounts.Account quitter = account("99");
        try (DatagramSocket media = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Path inject = Sipp.injection(tmp, "abandon.csv", List.of(List.of(quitter.number(), PASSWORD, q.number())));
            Sipp.Result gaveUp = Sipp.run(tmp, "127.0.0.1:" + SIP_PORT, "uac-queue-abandon.xml", FreePorts.udpAndTcp(), "-m", "1",
                    "-inf", inject.toString(), "-key", "caller_rtp", Integer.toString(media.getLocalPort()));
            assertThat(gaveUp.passed()).as(gaveUp.output()).isTrue();
        }
        Accounts.Account patient = account("89");
        Sipp.Running call = caller(patient, q.number());
        waitFor(q.id(), 1);
        admin.setAgentStatus(new Agents.SetStatus(Agents.Status.FREE, null, agent.id()));
        passed(agentPhone, "the agent answers");
        passed(call, "the caller gets the BYE");

        Instant to = Instant.now().plusSeconds(60);
        List<QueueLogs.Entry> log = List.of();
        long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline
                && log.stream().noneMatch(e -> e.event().equals("ENDED"))) {
            Thread.sleep(200);
            log = admin.call("queue.log", new QueueLogs.SearchParams(from, to, q.id(), null, null, 0, 500),
                    QueueLogs.SearchResult.class).items();
        }
        assertThat(log).filteredOn(e -> !e.event().equals("AGENT") && !e.event().equals("ANNOUNCED")).extracting(QueueLogs.Entry::event)
                .containsExactly("ENTERED", "ABANDONED", "ENTERED", "OFFERED", "ANSWERED", "ENDED");
        QueueLogs.Entry abandoned = log.stream().filter(e -> e.event().equals("ABANDONED")).findFirst().orElseThrow();
        assertThat(abandoned.caller()).isEqualTo(quitter.number());
        assertThat(abandoned.waitSeconds()).isBetween(1L, 4L);
        assertThat(abandoned.position()).isEqualTo(1);
        List<QueueLogs.Entry> agentRows = admin.call("queue.log", new QueueLogs.SearchParams(from, to, null, agent.id(), null,
                0, 500), QueueLogs.SearchResult.class).items().stream().filter(e -> e.event().equals("AGENT")).toList();
        assertThat(agentRows).extracting(QueueLogs.Entry::state).contains("PAUSED", "FREE", "RINGING", "BUSY");
        assertThat(agentRows).anySatisfy(e -> assertThat(e.detail()).isEqualTo("coffee"));

        HttpResponse<String> csv = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base() + "api/queue-log.csv?timeFrom="
                        + from + "&timeTo=" + to + "&queueId=" + q.id())).header("Authorization", "Bearer " + admin.token()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(csv.statusCode()).isEqualTo(200);
        List<String> lines = csv.body().lines().toList();
        assertThat(lines.getFirst()).isEqualTo("callId,queue,caller,agent,entered,waitedSeconds,talkedSeconds,outcome");
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).contains("," + q.name() + "," + quitter.number() + ",,").endsWith(",ABANDONED");
        assertThat(lines.get(2)).contains("," + q.name() + "," + patient.number() + "," + agent.number() + ",")
                .endsWith(",ANSWERED");

        Queues.Stats stats = stats(q);
        assertThat(stats.offeredToday()).isEqualTo(2);
        assertThat(stats.answeredToday()).isEqualTo(1);
        assertThat(stats.abandonedToday()).as("a 2 s abandon is short: counted apart").isZero();
        assertThat(stats.serviceLevelPct()).isEqualTo(100.0);
        assertThat(stats.waiting()).isZero();
        assertThat(stats.agents()).containsEntry("FREE", 1);
        List<org.callibry.shared.api.dto.Notification> changes = new java.util.ArrayList<>();
        pushed.drainTo(changes);
        assertThat(changes).filteredOn(n -> n.method().equals("queue.statsChanged") && n.params().get("queueId").asLong() == q.id())
                .as("stats pushed on change, coalesced").isNotEmpty()
                .anySatisfy(n -> assertThat(n.params().get("waiting").asInt()).isEqualTo(1));

        assertThatThrownBy(() -> admin.call("queue.log", new QueueLogs.SearchParams(to, from, null, null, null, null, null),
                QueueLogs.SearchResult.class)).hasMessageContaining("timeTo");
    }

    private Queues.Stats stats(Queues.Queue q) {
        List<Queues.Stats> all = admin.call("queue.stats", new Queues.StatsParams(null), admin.listOf(Queues.Stats.class));
        return all.stream().filter(x -> x.queueId() == q.id()).findFirst().orElseThrow();
    }
}

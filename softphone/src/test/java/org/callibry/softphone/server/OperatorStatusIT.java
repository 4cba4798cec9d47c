package org.callibry.softphone.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.callibry.shared.api.dto.Accounts;
import org.callibry.shared.api.dto.Agents;
import org.callibry.shared.api.dto.Notification;
import org.callibry.softphone.sip.SipTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's status through the real server (the packaged jar): the push channel opens with the
 * operator's token, a change a supervisor makes arrives as the operator's own {@code agent.statusChanged},
 * another operator's does not count, and the operator's own change is answered and pushed alike.
 */
class OperatorStatusIT {
    @TempDir
    static Path dir;
    private static SipTestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = SipTestServer.start(dir.resolve("server"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void aSupervisorsChangeArrivesAsTheOperatorsOwnPush() throws Exception {
        Accounts.Account mine = server.account("1501", "Operator 1501");
        Accounts.Account other = server.account("1502", "Operator 1502");
        server.operator(mine);
        ServerApi api = new ServerApi(java.net.URI.create("http://127.0.0.1:" + server.httpPort + "/"), "1501", SipTestServer.PASSWORD);
        OwnStatus own = new OwnStatus("1501");
        List<Agents.AgentStatus> shown = new CopyOnWriteArrayList<>();
        AtomicInteger connected = new AtomicInteger();
        try (PushChannel channel = new PushChannel(api.base(), api::token, api::login, new PushChannel.Listener() {
            @Override
            public void connected() {
                connected.incrementAndGet();
            }

            @Override
            public void notification(Notification n) {
                own.of(n).ifPresent(shown::add);
            }
        })) {
            channel.start();
            await("the push channel", () -> connected.get() == 1);

            server.agentStatus(other, false, "lunch");
            server.agentStatus(mine, false, "training");
            await("the operator's own push", () -> shown.stream().anyMatch(s -> s.status() == Agents.Status.UNAVAILABLE));
            // the server may first announce the agent it creates for the account (FREE, offline), then the change
            assertThat(shown).as("only the operator's own account").allSatisfy(s -> assertThat(s.number()).isEqualTo("1501"));
            assertThat(shown.getLast()).satisfies(s -> {
                assertThat(s.status()).isEqualTo(Agents.Status.UNAVAILABLE);
                assertThat(s.reason()).isEqualTo("training");
            });

            int before = shown.size();
            Agents.AgentStatus answer = api.setStatus(Agents.Status.FREE, "ignored");
            assertThat(own.known(answer)).isTrue();
            assertThat(answer.status()).isEqualTo(Agents.Status.FREE);
            await("the push of the operator's own change", () -> shown.size() > before
                    && shown.getLast().status() == Agents.Status.FREE);
            assertThat(shown.getLast().status()).isEqualTo(Agents.Status.FREE);
            assertThat(api.status()).get().extracting(Agents.AgentStatus::reason).isEqualTo("");
        }
    }
}

package org.callibry.softphone.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.callibry.shared.api.dto.Notification;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The push channel against a stand-in WebSocket server on loopback ({@link FakeEventsServer}).
 * Scenarios: notifications arrive, the token goes in the Authorization header; a dropped connection
 * is opened again and says so; a refused token (401) has the API log in again and the new token is
 * used; a server that stops answering pings is left for a new connection; a server that is not ready
 * (503) is tried again with growing waits; after close nothing is tried any more.
 */
class PushChannelIT {
    private static final Duration FIRST = Duration.ofMillis(100);

    private final List<Notification> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger connected = new AtomicInteger();
    private FakeEventsServer server;
    private PushChannel channel;

    @AfterEach
    void close() throws Exception {
        if (channel != null) {
            channel.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private PushChannel channel(java.util.function.Supplier<String> token, Runnable refused, Duration ping) {
        channel = new PushChannel(server.api(), token, refused, new PushChannel.Listener() {
            @Override
            public void connected() {
                connected.incrementAndGet();
            }

            @Override
            public void notification(Notification n) {
                received.add(n);
            }
        }, FIRST, Duration.ofSeconds(2), ping);
        return channel;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void notificationsArriveWithTheTokenInTheAuthorizationHeader() throws Exception {
        server = new FakeEventsServer();
        channel(() -> "t1", () -> { }, Duration.ofSeconds(30)).start();
        await("connected", () -> connected.get() == 1 && server.connections() == 1);
        server.push("{\"jsonrpc\":\"2.0\",\"method\":\"agent.statusChanged\",\"params\":{\"accountId\":11,\"number\":\"1001\"}}");
        await("the notification", () -> received.size() == 1);
        assertThat(received.getFirst().method()).isEqualTo("agent.statusChanged");
        assertThat(received.getFirst().params().path("accountId").asLong()).isEqualTo(11);
        assertThat(server.authorizations).containsExactly("Bearer t1");
    }

    @Test
    void aDroppedConnectionIsOpenedAgainAndSaysSo() throws Exception {
        server = new FakeEventsServer();
        channel(() -> "t1", () -> { }, Duration.ofSeconds(30)).start();
        await("connected", () -> connected.get() == 1);
        server.drop();
        await("connected again", () -> connected.get() == 2 && server.connections() == 1);
        server.push("{\"jsonrpc\":\"2.0\",\"method\":\"call.offered\",\"params\":{}}");
        await("a notification on the new connection", () -> received.size() == 1);
    }

    @Test
    void aRefusedTokenHasTheApiLogInAgainAndTheNewTokenIsUsed() throws Exception {
        server = new FakeEventsServer();
        server.accepts = "Bearer fresh"::equals;
        AtomicReference<String> token = new AtomicReference<>("expired");
        AtomicInteger logins = new AtomicInteger();
        channel(token::get, () -> {
            logins.incrementAndGet();
            token.set("fresh");
        }, Duration.ofSeconds(30)).start();
        await("connected", () -> connected.get() == 1);
        assertThat(logins.get()).isEqualTo(1);
        assertThat(server.authorizations).containsExactly("Bearer expired", "Bearer fresh");
    }

    @Test
    void aServerThatStopsAnsweringPingsIsLeftForANewConnection() throws Exception {
        server = new FakeEventsServer();
        server.answerPings = false;
        channel(() -> "t1", () -> { }, Duration.ofMillis(200)).start();
        await("connected", () -> connected.get() == 1);
        await("a new connection after an unanswered ping", () -> connected.get() >= 2);
        assertThat(server.handshakes.size()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aServerNotReadyIsTriedAgainWithGrowingWaits() throws Exception {
        server = new FakeEventsServer();
        server.unavailable = 3;
        channel(() -> "t1", () -> { }, Duration.ofSeconds(30)).start();
        await("connected", () -> connected.get() == 1);
        List<Long> at = server.handshakes;
        assertThat(at).hasSize(4);
        // 100, 200, 400 ms less at most a tenth
        for (int i = 1; i < 4; i++) {
            long waitedMillis = (at.get(i) - at.get(i - 1)) / 1_000_000;
            assertThat(waitedMillis).as("wait before attempt %d", i + 1).isGreaterThanOrEqualTo(FIRST.toMillis() * (1L << (i - 1)) * 9 / 10 - 5);
        }
    }

    @Test
    void afterCloseNothingIsTriedAnyMore() throws Exception {
        server = new FakeEventsServer();
        channel(() -> "t1", () -> { }, Duration.ofSeconds(30)).start();
        await("connected", () -> connected.get() == 1);
        channel.close();
        await("closed", () -> server.connections() == 0);
        Thread.sleep(FIRST.toMillis() * 4);
        assertThat(server.handshakes).hasSize(1);
        assertThat(connected.get()).isEqualTo(1);
    }
}

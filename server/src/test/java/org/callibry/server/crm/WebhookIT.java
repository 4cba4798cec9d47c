package org.callibry.server.crm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.callibry.server.acd.QueueEvent;
import org.callibry.server.api.ApiTestSupport;
import org.callibry.server.calls.CallAnswered;
import org.callibry.server.calls.CallEnded;
import org.callibry.server.calls.CallOffered;
import org.callibry.server.recording.CallRecordings;
import org.callibry.shared.api.ErrorCodes;
import org.callibry.shared.api.client.CallibryClient;
import org.callibry.shared.api.client.RpcErrorException;
import org.callibry.shared.api.dto.Page;
import org.callibry.shared.api.dto.Recordings;
import org.callibry.shared.api.dto.Webhooks;
import org.callibry.shared.media.G711;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Webhooks end to end: the server's real event path (events published in the application context, as
 * the proxy and the ACD publish them), PostgreSQL, and a local HTTP receiver. Scenarios: a delivery's
 * signature verifies (computed here independently) and its body carries the event; a 500 is retried and
 * then delivered, both attempts in the log; the events of one call arrive in order even when the first
 * one needs retries, while another call's events are not held up; a tenant's webhooks and deliveries
 * are invisible to another tenant, and an event of one tenant never reaches another's URL; URLs into
 * the server's network, unknown events and foreign tenants are refused on save; a real recording,
 * once converted, is announced with its id and download path; a delivery is sent again on request.
 */
class WebhookIT extends ApiTestSupport {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SECRET = "test-secret-0123456789";

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    CallRecordings recorders;

    private HttpServer receiver;
    private final List<Received> received = java.util.Collections.synchronizedList(new ArrayList<>());
    /** The status the receiver answers for a request (by its event type and how often that event came before). */
    private volatile Function<Received, Integer> answer = r -> 200;
    private final Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();

    record Received(String eventId, String type, String callId, String timestamp, String signature, String body, int nth) {
    }

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            JsonNode json = JSON.readTree(body);
            String eventId = exchange.getRequestHeaders().getFirst("X-Callibry-Delivery");
            Received r = new Received(eventId, json.get("type").asString(), json.get("data").get("callId").asString(),
                    exchange.getRequestHeaders().getFirst("X-Callibry-Timestamp"),
                    exchange.getRequestHeaders().getFirst("X-Callibry-Signature"), body,
                    seen.computeIfAbsent(eventId, k -> new AtomicInteger()).incrementAndGet());
            received.add(r);
            int status = answer.apply(r);
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    private String hookUrl() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    }

    private Webhooks.Webhook subscribe(CallibryClient client, List<String> types) {
        return client.webhooks().create(new Webhooks.Create(null, hookUrl(), types, SECRET, null));
    }

    private void offered(long tenant, String callId) {
        events.publishEvent(new CallOffered(callId, tenant, "+15550001", "2001", "inbound", Instant.now()));
    }

    private void answered(long tenant, String callId) {
        events.publishEvent(new CallAnswered(callId, tenant, "+15550001", "2001", "sip:2001@127.0.0.1", Instant.now()));
    }

    private void ended(long tenant, String callId) {
        Instant now = Instant.now();
        events.publishEvent(new CallEnded(callId, "+15550001", "2001", "+15550001", "2001", "127.0.0.1:5060",
                "sip:2001@127.0.0.1", "inbound", tenant, now.minusSeconds(30), now.minusSeconds(20), now,
                CallEnded.Disposition.ANSWERED, 200, "BYE from caller"));
    }

    private List<Received> of(String callId) {
        synchronized (received) {
            return received.stream().filter(r -> r.callId().equals(callId)).toList();
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static String hmac(String secret, String text) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void deliversASignedBodyWithTheEventAndLogsIt() throws Exception {
        Fixture f = fixture();
        CallibryClient customer = as(f.customer());
        Webhooks.Webhook hook = subscribe(customer, List.of("call.offered", "call.ended"));
        assertThat(hook.secret()).isEqualTo(SECRET);
        assertThat(customer.webhooks().get(hook.id()).secret()).as("the secret is shown once").isNull();

        String callId = "wh-sig-" + UUID.randomUUID();
        offered(f.tenant().id(), callId);
        answered(f.tenant().id(), callId); // not subscribed
        ended(f.tenant().id(), callId);
        await("two deliveries", () -> of(callId).size() == 2);

        Received r = of(callId).get(0);
        assertThat(r.signature()).isEqualTo(hmac(SECRET, r.timestamp() + "." + r.body()));
        assertThat(Math.abs(Long.parseLong(r.timestamp()) - Instant.now().getEpochSecond())).isLessThan(60);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("id").asString()).isEqualTo(r.eventId());
        assertThat(body.get("type").asString()).isEqualTo("call.offered");
        assertThat(Instant.parse(body.get("time").asString())).isBefore(Instant.now().plusSeconds(1));
        assertThat(body.get("tenantId").asLong()).isEqualTo(f.tenant().id());
        assertThat(body.get("data").get("aNumber").asString()).isEqualTo("+15550001");
        JsonNode end = JSON.readTree(of(callId).get(1).body());
        assertThat(end.get("type").asString()).isEqualTo("call.ended");
        assertThat(end.get("data").get("disposition").asString()).isEqualTo("ANSWERED");
        assertThat(end.get("data").get("durationMs").asLong()).isEqualTo(20_000);

        await("the log says delivered", () -> customer.webhookDeliveries(new Webhooks.DeliveriesParams(hook.id(), callId,
                null, null, null)).items().stream().allMatch(d -> d.status() == Webhooks.Status.DELIVERED));
        Page<Webhooks.Delivery> log = customer.webhookDeliveries(new Webhooks.DeliveriesParams(hook.id(), callId, null, null, null));
        assertThat(log.total()).isEqualTo(2);
        assertThat(log.items()).extracting(Webhooks.Delivery::type).containsExactly("call.ended", "call.offered");
        assertThat(log.items()).allSatisfy(d -> {
            assertThat(d.attempts()).isEqualTo(1);
            assertThat(d.statusCode()).isEqualTo(200);
            assertThat(d.error()).isNull();
            assertThat(d.deliveredAt()).isNotNull();
        });
    }

    @Test
    void retriesAfterA500AndThenDelivers() throws Exception {
        Fixture f = fixture();
        CallibryClient customer = as(f.customer());
        Webhooks.Webhook hook = subscribe(customer, List.of("call.offered"));
        answer = r -> r.nth() == 1 ? 500 : 200;

        String callId = "wh-retry-" + UUID.randomUUID();
        offered(f.tenant().id(), callId);
        await("a retry", () -> of(callId).size() == 2);
        assertThat(of(callId)).extracting(Received::eventId).containsOnly(of(callId).get(0).eventId());
        Received again = of(callId).get(1);
        assertThat(again.signature()).isEqualTo(hmac(SECRET, again.timestamp() + "." + again.body()));

        await("delivered", () -> customer.webhookDeliveries(new Webhooks.DeliveriesParams(hook.id(), callId, null, null, null))
                .items().getFirst().status() == Webhooks.Status.DELIVERED);
        Webhooks.Delivery d = customer.webhookDeliveries(new Webhooks.DeliveriesParams(hook.id(), callId, null, null, null))
                .items().getFirst();
        assertThat(d.attempts()).isEqualTo(2);
        assertThat(d.statusCode()).isEqualTo(200);
        assertThat(Duration.between(d.createdAt(), d.deliveredAt())).as("the first retry waits first-retry (200 ms)")
                .isGreaterThanOrEqualTo(Duration.ofMillis(150));
    }

    @Test
    void keepsTheOrderOfACallsEventsWhileItsFirstIsRetried() throws Exception {
        Fixture f = fixture();
        CallibryClient customer = as(f.customer());
        subscribe(customer, List.of("call.offered", "call.answered", "call.ended", "queue.abandoned"));
        String slow = "wh-order-" + UUID.randomUUID();
        String other = "wh-other-" + UUID.randomUUID();
        // the first event of the slow call fails twice; everything else is accepted at once
        answer = r -> r.callId().equals(slow) && r.type().equals("call.offered") && r.nth() <= 2 ? 503 : 200;

        offered(f.tenant().id(), slow);
        answered(f.tenant().id(), slow);
        events.publishEvent(new QueueEvent(QueueEvent.Type.ABANDONED, slow, "e1", f.tenant().id(), 7, "+15550001", null, null,
                1, 12, "hung up", Instant.now()));
        ended(f.tenant().id(), slow);
        offered(f.tenant().id(), other);
        ended(f.tenant().id(), other);

        await("the slow call's events", () -> of(slow).size() == 6);
        assertThat(of(slow)).extracting(Received::type).containsExactly("call.offered", "call.offered", "call.offered",
                "call.answered", "queue.abandoned", "call.ended");
        assertThat(JSON.readTree(of(slow).get(4).body()).get("data").get("waitSeconds").asLong()).isEqualTo(12);
        await("the other call", () -> of(other).size() == 2);
        assertThat(of(other)).extracting(Received::type).containsExactly("call.offered", "call.ended");
    }

    @Test
    void aTenantSeesOnlyItsOwnWebhooksAndEvents() throws Exception {
        Fixture a = fixture();
        Fixture b = fixture();
        CallibryClient customerA = as(a.customer());
        CallibryClient supervisorB = as(b.supervisor());
        Webhooks.Webhook hookA = subscribe(customerA, List.of("call.offered"));
        Webhooks.Webhook hookB = supervisorB.webhooks().create(new Webhooks.Create(null, hookUrl() + "?b", List.of("call.offered"),
                null, true));
        assertThat(hookB.secret()).as("a secret is made up when none is given").hasSize(64);

        assertThat(customerA.webhooks().list(new Webhooks.ListParams(null)).items()).extracting(Webhooks.Webhook::id)
                .containsExactly(hookA.id());
        for (Runnable foreign : List.<Runnable>of(() -> customerA.webhooks().get(hookB.id()),
                () -> customerA.webhooks().update(new Webhooks.Update(hookB.id(), null, null, null, false)),
                () -> customerA.webhooks().delete(hookB.id()),
                () -> customerA.webhookDeliveries(new Webhooks.DeliveriesParams(hookB.id(), null, null, null, null)))) {
            assertThatThrownBy(foreign::run).isInstanceOfSatisfying(RpcErrorException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCodes.NOT_FOUND));
        }
        assertThatThrownBy(() -> customerA.webhookDeliveries(new Webhooks.DeliveriesParams(null, null, b.tenant().id(), null, null)))
                .isInstanceOfSatisfying(RpcErrorException.class, e -> assertThat(e.code()).isEqualTo(ErrorCodes.FORBIDDEN));
        assertThatThrownBy(() -> customerA.webhooks().create(new Webhooks.Create(b.tenant().id(), hookUrl(),
                List.of("call.offered"), null, null)))
                .isInstanceOfSatisfying(RpcErrorException.class, e -> assertThat(e.code()).isEqualTo(ErrorCodes.FORBIDDEN));

        String callA = "wh-a-" + UUID.randomUUID();
        String callB = "wh-b-" + UUID.randomUUID();
        offered(a.tenant().id(), callA);
        offered(b.tenant().id(), callB);
        await("both events", () -> of(callA).size() == 1 && of(callB).size() == 1);
        await("both logged as delivered", () -> admin().webhookDeliveries(new Webhooks.DeliveriesParams(null, callB, null, null,
                null)).items().stream().anyMatch(d -> d.status() == Webhooks.Status.DELIVERED));
        assertThat(of(callB).get(0).signature()).as("B's event signed with B's secret")
                .isEqualTo(hmac(hookB.secret(), of(callB).get(0).timestamp() + "." + of(callB).get(0).body()));
        assertThat(customerA.webhookDeliveries(new Webhooks.DeliveriesParams(null, null, null, null, 500)).items())
                .allSatisfy(d -> assertThat(d.tenantId()).isEqualTo(a.tenant().id()))
                .extracting(Webhooks.Delivery::callId).contains(callA).doesNotContain(callB);
        assertThat(customerA.webhookDeliveries(new Webhooks.DeliveriesParams(null, callB, null, null, null)).total()).isZero();
        assertThat(admin().webhookDeliveries(new Webhooks.DeliveriesParams(null, callB, null, null, null)).items())
                .extracting(Webhooks.Delivery::webhookId).containsExactly(hookB.id());

        // operators have no webhooks
        assertThatThrownBy(() -> as(a.operator()).webhooks().list(new Webhooks.ListParams(null)))
                .isInstanceOfSatisfying(RpcErrorException.class, e -> assertThat(e.code()).isEqualTo(ErrorCodes.FORBIDDEN));
    }

    @Test
    void refusesUrlsIntoTheServersNetworkAndUnknownEvents() {
        Fixture f = fixture();
        CallibryClient customer = as(f.customer());
        for (String url : List.of("http://169.254.169.254/latest/meta-data", "http://10.0.0.1/hook", "http://[::1]:8080/x",
                "ftp://example.com/hook", "http://user:pw@example.com/hook")) {
            assertThatThrownBy(() -> customer.webhooks().create(new Webhooks.Create(null, url, List.of("call.ended"), null, null)))
                    .as(url).isInstanceOfSatisfying(RpcErrorException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCodes.INVALID_PARAMS);
                        assertThat(e.field()).isEqualTo("url");
                    });
        }
        assertThatThrownBy(() -> customer.webhooks().create(new Webhooks.Create(null, hookUrl(), List.of("call.rang"), null, null)))
                .isInstanceOfSatisfying(RpcErrorException.class, e -> assertThat(e.field()).isEqualTo("events"));
        Webhooks.Webhook hook = subscribe(customer, List.of("recording.ready"));
        assertThatThrownBy(() -> customer.webhooks().update(new Webhooks.Update(hook.id(), "http://192.168.1.1/", null, null, null)))
                .isInstanceOfSatisfying(RpcErrorException.class, e -> assertThat(e.field()).isEqualTo("url"));
        Webhooks.Webhook changed = customer.webhooks().update(new Webhooks.Update(hook.id(), null, List.of("call.ended",
                "call.ended"), null, false));
        assertThat(changed.events()).containsExactly("call.ended");
        assertThat(changed.enabled()).isFalse();
        customer.webhooks().delete(hook.id());
        assertThat(customer.webhooks().list(new Webhooks.ListParams(null)).items()).isEmpty();
    }

    @Test
    void announcesARecordingOnceItIsConverted() throws Exception {
        Fixture f = fixture();
        CallibryClient customer = as(f.customer());
        subscribe(customer, List.of("recording.ready"));
        String callId = "wh-rec-" + UUID.randomUUID();
        CallRecordings.Recorder r = recorders.start(callId, f.tenant().id(), "5551001", "5552002", false);
        long t0 = System.nanoTime();
        byte[] silence = G711.encodeUlaw(new short[160]);
        for (int k = 0; k < 50; k++) {
            r.packet(0, t0 + (k + 1) * 20_000_000L, 0, silence, 0, 160);
        }
        r.close(null);

        await("recording.ready", () -> of(callId).size() == 1);
        Recordings.Recording rec = customer.recordings().list(Recordings.ListParams.ofCall(callId)).items().getFirst();
        assertThat(rec.state()).as("announced only when ready").isEqualTo(Recordings.State.READY);
        JsonNode data = JSON.readTree(of(callId).getFirst().body()).get("data");
        assertThat(data.get("recordingId").asLong()).isEqualTo(rec.id());
        assertThat(data.get("download").asString()).isEqualTo("/api/recordings/" + rec.id() + ".mp3");
        assertThat(data.get("durationMs").asLong()).isEqualTo(rec.durationMs());
        assertThat(data.get("aNumber").asString()).isEqualTo("5551001");
    }

    @Test
    void sendsADeliveryAgainOnRequest() throws Exception {
        Fixture f = fixture();
        CallibryClient customer = as(f.customer());
        Webhooks.Webhook hook = subscribe(customer, List.of("call.answered"));
        String callId = "wh-again-" + UUID.randomUUID();
        answered(f.tenant().id(), callId);
        Webhooks.DeliveriesParams byCall = new Webhooks.DeliveriesParams(hook.id(), callId, null, null, null);
        await("delivered", () -> customer.webhookDeliveries(byCall).items().stream()
                .anyMatch(d -> d.status() == Webhooks.Status.DELIVERED));
        Webhooks.Delivery first = customer.webhookDeliveries(byCall).items().getFirst();

        assertThatThrownBy(() -> as(fixture().customer()).redeliverWebhook(first.id()))
                .isInstanceOfSatisfying(RpcErrorException.class, e -> assertThat(e.code()).isEqualTo(ErrorCodes.NOT_FOUND));
        customer.redeliverWebhook(first.id());
        await("sent again", () -> of(callId).size() == 2);
        assertThat(of(callId)).extracting(Received::eventId).containsOnly(first.eventId());
        await("delivered again", () -> customer.webhookDeliveries(byCall).items().getFirst().status() == Webhooks.Status.DELIVERED);
        Webhooks.Delivery again = customer.webhookDeliveries(byCall).items().getFirst();
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(again.attempts()).isEqualTo(1);
        assertThat(again.deliveredAt()).isAfter(first.deliveredAt());
    }
}

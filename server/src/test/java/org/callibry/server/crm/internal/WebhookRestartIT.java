package org.callibry.server.crm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.callibry.server.api.ApiTestSupport;
import org.callibry.server.calls.CallOffered;
import org.callibry.shared.api.client.CallibryClient;
import org.callibry.shared.api.dto.Webhooks;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Scenario: with the delivery worker stopped (a server going down), an event waits as a pending row in
 * PostgreSQL with no attempt made; once the worker runs again (the next start) it is delivered. Also: a
 * disabled subscription's pending delivery waits and goes out once it is enabled again; the purge removes
 * finished rows older than its cutoff only.
 */
class WebhookRestartIT extends ApiTestSupport {

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    WebhookDeliverer deliverer;

    @Autowired
    WebhookStore store;

    @Test
    void aPendingDeliveryWaitsInTheDatabaseForTheWorker() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try {
            Fixture f = fixture();
            CallibryClient customer = as(f.customer());
            Webhooks.Webhook hook = customer.webhooks().create(new Webhooks.Create(null,
                    "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook", List.of("call.offered"), null, null));
            String callId = "wh-restart-" + UUID.randomUUID();
            Webhooks.DeliveriesParams byCall = new Webhooks.DeliveriesParams(hook.id(), callId, null, null, null);

            deliverer.stop();
            try {
                events.publishEvent(new CallOffered(callId, f.tenant().id(), "100", "200", "r", Instant.now()));
                await(() -> customer.webhookDeliveries(byCall).total() == 1);
                Thread.sleep(300);
                Webhooks.Delivery waiting = customer.webhookDeliveries(byCall).items().getFirst();
                assertThat(waiting.status()).isEqualTo(Webhooks.Status.PENDING);
                assertThat(waiting.attempts()).isZero();
                assertThat(received).isEmpty();
            } finally {
                deliverer.start();
            }
            await(() -> customer.webhookDeliveries(byCall).items().getFirst().status() == Webhooks.Status.DELIVERED);
            assertThat(received).hasSize(1).allSatisfy(body -> assertThat(body).contains(callId));
            assertThat(customer.webhookDeliveries(byCall).items().getFirst().statusCode()).isEqualTo(204);

            // disabled after the event was stored: the delivery waits for the subscription to be enabled again
            String second = "wh-disabled-" + UUID.randomUUID();
            Webhooks.DeliveriesParams bySecond = new Webhooks.DeliveriesParams(hook.id(), second, null, null, null);
            deliverer.stop();
            try {
                events.publishEvent(new CallOffered(second, f.tenant().id(), "100", "200", "r", Instant.now()));
                await(() -> customer.webhookDeliveries(bySecond).total() == 1);
                customer.webhooks().update(new Webhooks.Update(hook.id(), null, null, null, false));
            } finally {
                deliverer.start();
            }
            Thread.sleep(500);
            assertThat(customer.webhookDeliveries(bySecond).items().getFirst().attempts()).isZero();
            customer.webhooks().update(new Webhooks.Update(hook.id(), null, null, null, true));
            await(() -> customer.webhookDeliveries(bySecond).items().getFirst().status() == Webhooks.Status.DELIVERED);
            assertThat(received).hasSize(2);

            // the log keeps rows for the retention: a purge with a cutoff after them removes both
            assertThat(store.purge(Instant.now().minusSeconds(3600), 10_000)).isGreaterThanOrEqualTo(0);
            assertThat(customer.webhookDeliveries(new Webhooks.DeliveriesParams(hook.id(), null, null, null, null)).total())
                    .isEqualTo(2);
            store.purge(Instant.now().plusSeconds(60), 10_000);
            assertThat(customer.webhookDeliveries(new Webhooks.DeliveriesParams(hook.id(), null, null, null, null)).total())
                    .isZero();
        } finally {
            receiver.stop(0);
        }
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met in time").isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}

package org.callibry.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.callibry.shared.api.client.CallibryClient;
import org.callibry.shared.api.dto.Accounts;
import org.callibry.shared.api.dto.Notification;
import org.junit.jupiter.api.Test;

/** The push channel delivers {@code <family>.changed} notifications to the callers allowed to see them. */
class PushChannelIT extends ApiTestSupport {

    private static Notification next(BlockingQueue<Notification> q, String method) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Notification n = q.poll(100, TimeUnit.MILLISECONDS);
            if (n != null && n.method().equals(method)) {
                return n;
            }
        }
        throw new AssertionError("no " + method + " notification within 10 s");
    }

    @Test
    void accountChangesReachAdminsAndTheOwningTenantOnly() throws Exception {
        Fixture a = fixture();
        Fixture b = fixture();
        BlockingQueue<Notification> toAdmin = new LinkedBlockingQueue<>();
        BlockingQueue<Notification> toA = new LinkedBlockingQueue<>();
        BlockingQueue<Notification> toB = new LinkedBlockingQueue<>();
        try (var s1 = admin().subscribe(toAdmin::add);
             var s2 = as(a.customer()).subscribe(toA::add);
             var s3 = as(b.customer()).subscribe(toB::add)) {
            CallibryClient admin = admin();
            Accounts.Account inA = admin.accounts().create(new Accounts.Create(a.domain().id(), "7001", null, PASSWORD, null));
            Notification seenByAdmin = next(toAdmin, "account.changed");
            assertThat(seenByAdmin.params().get("id").asLong()).isEqualTo(inA.id());
            assertThat(seenByAdmin.params().get("action").asString()).isEqualTo("created");
            Notification seenByA = next(toA, "account.changed");
            assertThat(seenByA.params().get("tenantId").asLong()).isEqualTo(a.tenant().id());

            Accounts.Account inB = admin.accounts().create(new Accounts.Create(b.domain().id(), "7002", null, PASSWORD, null));
            // the first account notification B sees is its own: A's never reached it
            assertThat(next(toB, "account.changed").params().get("id").asLong()).isEqualTo(inB.id());
            Thread.sleep(300);
            assertThat(toA.stream().filter(n -> n.method().equals("account.changed"))
                    .noneMatch(n -> n.params().get("id").asLong() == inB.id())).isTrue();
        }
    }

    @Test
    void theChannelRefusesAnInvalidToken() {
        CallibryClient c = anonymous();
        c.useToken("forged-token");
        assertThatThrownBy(() -> c.subscribe(n -> { })).isInstanceOf(RuntimeException.class);
    }
}

package org.callibry.server.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.callibry.server.api.ApiTestSupport;
import org.callibry.server.testing.FreePorts;
import org.callibry.server.testing.Sipp;
import org.callibry.shared.api.client.CallibryClient;
import org.callibry.shared.api.dto.Accounts;
import org.callibry.shared.api.dto.Domains;
import org.callibry.shared.api.dto.Notification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registrar with SIPp as the phone, over UDP and TCP: digest registration (401 then 200), a wrong
 * password (403), unregistration (Expires: 0), the account's online state in the API and the
 * {@code account.registration} push.
 */
class RegistrarIT extends ApiTestSupport {
    @TempDir
    Path tmp;

    private CallibryClient admin;
    private Accounts.Account account;

    @BeforeEach
    void account() {
        admin = admin();
        Domains.Domain demo = admin.domains().list(new Domains.ListParams(null, "demo.callibry.test", null, null)).items().getFirst();
        String number = "19" + (int) (Math.random() * 100_000);
        account = admin.accounts().create(new Accounts.Create(demo.id(), number, "Registrar test", PASSWORD, null));
    }

    private String server() {
        return "127.0.0.1:" + SIP_PORT;
    }

    @Test
    void registersWithDigestOverUdpAndShowsOnline() throws Exception {
        BlockingQueue<Notification> pushed = new LinkedBlockingQueue<>();
        try (var sub = admin.subscribe(pushed::add)) {
            Path users = Sipp.injection(tmp, "users.csv", List.of(List.of(account.number(), PASSWORD, "120")));
            Sipp.Result r = Sipp.run(tmp, server(), "register.xml", FreePorts.udpAndTcp(), "-inf", users.toString(), "-m", "1");
            assertThat(r.passed()).as(r.output()).isTrue();
            Accounts.Account now = admin.accounts().get(account.id());
            assertThat(now.online()).isTrue();
            assertThat(now.registeredContacts()).isEqualTo(1);
            assertThat(now.registeredUntil()).isAfter(java.time.Instant.now().plusSeconds(100));
            Notification n = pushed.poll(10, TimeUnit.SECONDS);
            while (n != null && !n.method().equals("account.registration")) {
                n = pushed.poll(10, TimeUnit.SECONDS);
            }
            assertThat(n).isNotNull();
            assertThat(n.params().get("accountId").asLong()).isEqualTo(account.id());
            assertThat(n.params().get("online").asBoolean()).isTrue();
        }
    }

    @Test
    void registersOverTcp() throws Exception {
        Path users = Sipp.injection(tmp, "users.csv", List.of(List.of(account.number(), PASSWORD, "120")));
        Sipp.Result r = Sipp.run(tmp, server(), "register.xml", FreePorts.udpAndTcp(), "-t", "t1", "-inf", users.toString(), "-m", "1");
        assertThat(r.passed()).as(r.output()).isTrue();
        assertThat(admin.accounts().get(account.id()).online()).isTrue();
    }

    @Test
    void aWrongPasswordIsRefusedWith403() throws Exception {
        Path users = Sipp.injection(tmp, "users.csv", List.of(List.of(account.number(), "not-the-password")));
        Sipp.Result r = Sipp.run(tmp, server(), "register-wrong.xml", FreePorts.udpAndTcp(), "-inf", users.toString(), "-m", "1");
        assertThat(r.passed()).as(r.output()).isTrue();
        assertThat(admin.accounts().get(account.id()).online()).isFalse();
    }

    @Test
    void anUnknownUserGetsTheSameChallengeAnd403() throws Exception {
        Path users = Sipp.injection(tmp, "users.csv", List.of(List.of("no-such-user", PASSWORD)));
        Sipp.Result r = Sipp.run(tmp, server(), "register-wrong.xml", FreePorts.udpAndTcp(), "-inf", users.toString(), "-m", "1");
        assertThat(r.passed()).as(r.output()).isTrue();
    }

    @Test
    void expiresZeroUnregisters() throws Exception {
        int port = FreePorts.udpAndTcp();
        Path on = Sipp.injection(tmp, "on.csv", List.of(List.of(account.number(), PASSWORD, "120")));
        assertThat(Sipp.run(tmp, server(), "register.xml", port, "-inf", on.toString(), "-m", "1").passed()).isTrue();
        assertThat(admin.accounts().get(account.id()).online()).isTrue();
        Path off = Sipp.injection(tmp, "off.csv", List.of(List.of(account.number(), PASSWORD, "0")));
        Sipp.Result r = Sipp.run(tmp, server(), "register.xml", port, "-inf", off.toString(), "-m", "1");
        assertThat(r.passed()).as(r.output()).isTrue();
        assertThat(admin.accounts().get(account.id()).online()).isFalse();
    }

    @Test
    void aDisabledAccountIsRefusedEvenWithTheRightPassword() throws Exception {
        admin.accounts().update(new Accounts.Update(account.id(), null, null, false));
        Path users = Sipp.injection(tmp, "users.csv", List.of(List.of(account.number(), PASSWORD)));
        Sipp.Result r = Sipp.run(tmp, server(), "register-wrong.xml", FreePorts.udpAndTcp(), "-inf", users.toString(), "-m", "1");
        assertThat(r.passed()).as(r.output()).isTrue();
        assertThat(admin.accounts().get(account.id()).online()).isFalse();
    }
}

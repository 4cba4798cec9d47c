package org.callibry.server.api;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.callibry.shared.api.Role;
import org.callibry.shared.api.client.CallibryClient;
import org.callibry.shared.api.dto.Accounts;
import org.callibry.shared.api.dto.Domains;
import org.callibry.shared.api.dto.Tenants;
import org.callibry.shared.api.dto.Users;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One real server (embedded PostgreSQL in a temporary data directory, real HTTP port) shared by the API
 * integration tests, which all talk to it through the typed client of {@code shared}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "callibry.admin.password=" + ApiTestSupport.ADMIN_PASSWORD,
        "callibry.demo.password=" + ApiTestSupport.DEMO_PASSWORD,
        // every failed login of the suite comes from 127.0.0.1; the per-address limit has its own unit test
        "callibry.api.login.max-failures-per-address=1000",
        // the IVR tests' lookups go to local HTTP servers of the tests
        "callibry.ivr.http.allow=http://127.0.0.1:*/",
        // the webhook tests' receivers are local HTTP servers too, and their retries must come quickly
        "callibry.crm.webhook.allow=http://127.0.0.1:*/",
        "callibry.crm.webhook.first-retry=200ms",
        "callibry.crm.webhook.poll-interval=100ms",
        "callibry.crm.lookup.allow=http://127.0.0.1:*/"
})
public abstract class ApiTestSupport {
    public static final String ADMIN_PASSWORD = "admin-secret-1";
    public static final String DEMO_PASSWORD = "demo-secret-1";
    public static final String PASSWORD = "password-123";

    private static final Path DATA_DIR;

    static {
        try {
            DATA_DIR = Files.createTempDirectory("callibry-api-it");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static final int SIP_PORT = org.callibry.shared.testing.FreePorts.udpAndTcp();
    public static final int SIP_TLS_PORT = org.callibry.shared.testing.FreePorts.udpAndTcp();
    public static final int NG_PORT = org.callibry.shared.testing.FreePorts.udpAndTcp();
    public static final int MEDIA_SIP_PORT = org.callibry.shared.testing.FreePorts.udpAndTcp();
    public static final int STUN_PORT = org.callibry.shared.testing.FreePorts.udpAndTcp();
    public static final int HEARTBEAT_PORT = org.callibry.shared.testing.FreePorts.udpAndTcp();

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("callibry.data-dir", DATA_DIR::toString);
        registry.add("callibry.sip.port", () -> SIP_PORT);
        registry.add("callibry.sip.bind-address", () -> "127.0.0.1");
        registry.add("callibry.sip.keep-alive-interval", () -> "2s");
        registry.add("callibry.sip.tls-port", () -> SIP_TLS_PORT);
        registry.add("callibry.media.bind-address", () -> "127.0.0.1");
        registry.add("callibry.media.node.ng-address", () -> "127.0.0.1:" + NG_PORT);
        registry.add("callibry.media.sip-port", () -> MEDIA_SIP_PORT);
        registry.add("callibry.sip.media-timeout", () -> "5s");
        registry.add("callibry.media.stun.port", () -> STUN_PORT);
        registry.add("callibry.media.stun.bind-address", () -> "127.0.0.1");
        registry.add("callibry.media.node.heartbeat-port", () -> HEARTBEAT_PORT);
        registry.add("callibry.media.node.heartbeat-bind-address", () -> "127.0.0.1");
        registry.add("callibry.media.node.id", () -> "api-it-node");
    }

    @LocalServerPort
    protected int port;

    protected URI base() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    /** A sample of {@code /actuator/prometheus} by its exact name (labels included), or NaN when absent. */
    protected double metric(String sample) throws Exception {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(base().resolve("actuator/prometheus")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        for (String line : r.body().split("\n")) {
            if (line.startsWith(sample + " ")) {
                return Double.parseDouble(line.substring(sample.length() + 1).trim());
            }
        }
        return Double.NaN;
    }

    protected CallibryClient anonymous() {
        return CallibryClient.of(base());
    }

    protected CallibryClient admin() {
        CallibryClient c = anonymous();
        c.login("admin", ADMIN_PASSWORD);
        return c;
    }

    protected CallibryClient as(String user) {
        CallibryClient c = anonymous();
        c.login(user, PASSWORD);
        return c;
    }

    protected static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A tenant with a domain, an account and one user of each given role bound to it. */
    protected record Fixture(Tenants.Tenant tenant, Domains.Domain domain, Accounts.Account account, String customer,
                             String operator, String supervisor) {
    }

    protected Fixture fixture() {
        CallibryClient admin = admin();
        Tenants.Tenant t = admin.tenants().create(new Tenants.Create(unique("tenant"), "fixture", null));
        Domains.Domain d = admin.domains().create(new Domains.Create(t.id(), unique("d") + ".example.com", null));
        Accounts.Account a = admin.accounts().create(new Accounts.Create(d.id(), "2001", "Fixture", PASSWORD, null));
        String customer = unique("cust");
        String operator = unique("op");
        String supervisor = unique("sup");
        admin.users().create(new Users.Create(customer, PASSWORD, Role.CUSTOMER, t.id(), null, null, null));
        admin.users().create(new Users.Create(operator, PASSWORD, Role.OPERATOR, t.id(), a.id(), null, null));
        admin.users().create(new Users.Create(supervisor, PASSWORD, Role.SUPERVISOR, t.id(), null, null, null));
        return new Fixture(t, d, a, customer, operator, supervisor);
    }
}

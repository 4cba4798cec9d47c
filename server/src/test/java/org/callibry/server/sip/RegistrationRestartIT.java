package org.callibry.server.sip;

import org.callibry.server.testing.TestServer;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.callibry.shared.testing.FreePorts;
import org.callibry.server.testing.Sipp;
import org.callibry.shared.api.client.CallibryClient;
import org.callibry.shared.api.dto.Accounts;
import org.callibry.shared.api.dto.Domains;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/** Registrations survive a restart: a phone that registered before the server stopped still gets its calls. */
class RegistrationRestartIT {
    private static final String PASSWORD = "restart-pass-1";

    @TempDir
    Path tmp;

    private final int sipPort = FreePorts.udpAndTcp();
    private final int tlsPort = FreePorts.udpAndTcp();

    private ConfigurableApplicationContext start() {
        return TestServer.start(tmp.resolve("data"), sipPort, tlsPort, "--callibry.admin.password=restart-admin", "--callibry.demo.password=" + PASSWORD);
    }

    private static CallibryClient admin(ConfigurableApplicationContext ctx) {
        int port = TestServer.httpPort(ctx);
        CallibryClient c = CallibryClient.of(URI.create("http://127.0.0.1:" + port + "/"));
        c.login("admin", "restart-admin");
        return c;
    }

    @Test
    void aPhoneRegisteredBeforeARestartStillGetsItsCalls() throws Exception {
        int phonePort = FreePorts.udpAndTcp();
        Accounts.Account callee;
        try (ConfigurableApplicationContext first = start()) {
            CallibryClient admin = admin(first);
            Domains.Domain demo = admin.domains().list(new Domains.ListParams(null, "demo.callibry.test", null, null)).items().getFirst();
            callee = admin.accounts().create(new Accounts.Create(demo.id(), "7701", "Kept", PASSWORD, null));
            Map<String, Object> route = new LinkedHashMap<>();
            route.put("name", "to 7701");
            route.put("priority", 1);
            route.put("bNumberMask", "^7701$");
            route.put("destinationType", "LOCAL");
            admin.call("route.create", route, JsonNode.class);
            Path users = Sipp.injection(tmp, "callee.csv", List.of(List.of("7701", PASSWORD, "600")));
            Sipp.Result reg = Sipp.run(tmp, "127.0.0.1:" + sipPort, "register.xml", phonePort, "-inf", users.toString(), "-m", "1");
            assertThat(reg.passed()).as(reg.output()).isTrue();
            assertThat(admin.accounts().get(callee.id()).online()).isTrue();
        }
        try (ConfigurableApplicationContext second = start()) {
            assertThat(admin(second).accounts().get(callee.id()).online()).as("registration restored").isTrue();
            try (Sipp.Running uas = Sipp.start(tmp, null, "uas.xml", phonePort, "-m", "1")) {
                Thread.sleep(300);
                Path caller = Sipp.injection(tmp, "caller.csv", List.of(List.of("1001", PASSWORD, "7701")));
                Sipp.Result uac = Sipp.run(tmp, "127.0.0.1:" + sipPort, "uac.xml", FreePorts.udpAndTcp(), "-inf", caller.toString(),
                        "-m", "1");
                assertThat(uac.passed()).as(uac.output()).isTrue();
                assertThat(uas.await(Duration.ofSeconds(30)).passed()).isTrue();
            }
        }
    }
}

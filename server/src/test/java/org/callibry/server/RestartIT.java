package org.callibry.server;

import org.callibry.server.testing.TestServer;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import org.callibry.shared.api.Role;
import org.callibry.shared.api.client.CallibryClient;
import org.callibry.shared.api.dto.Accounts;
import org.callibry.shared.api.dto.Domains;
import org.callibry.shared.api.dto.Tenants;
import org.callibry.shared.api.dto.Users;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole server started, stopped and started again on one data directory: every tenant, domain,
 * account and user is still there, tokens issued before the restart still work, and first-start
 * data (admin, demo) is not created twice.
 */
class RestartIT {
    @TempDir
    Path dataDir;

    private ConfigurableApplicationContext start() {
        return TestServer.start(dataDir, org.callibry.shared.testing.FreePorts.udpAndTcp(),
                "--callibry.admin.password=first-admin-pw", "--callibry.demo.password=demo-pw-123");
    }

    private static CallibryClient client(ConfigurableApplicationContext ctx) {
        int port = TestServer.httpPort(ctx);
        return CallibryClient.of(URI.create("http://127.0.0.1:" + port + "/"));
    }

    @Test
    void everythingSurvivesARestart() {
        Tenants.Tenant tenant;
        Domains.Domain domain;
        Accounts.Account account;
        Users.User user;
        String token;
        try (ConfigurableApplicationContext first = start()) {
            CallibryClient admin = client(first);
            token = admin.login("admin", "first-admin-pw").token();
            tenant = admin.tenants().create(new Tenants.Create("Survivor", "kept", null));
            domain = admin.domains().create(new Domains.Create(tenant.id(), "survivor.example.com", null));
            account = admin.accounts().create(new Accounts.Create(domain.id(), "100", "Kept", "kept-password", null));
            user = admin.users().create(new Users.Create("keeper", "keeper-password", Role.CUSTOMER, tenant.id(), null, null, null));
        }
        try (ConfigurableApplicationContext second = start()) {
            CallibryClient admin = client(second);
            admin.useToken(token);
            assertThat(admin.whoami().username()).as("token issued before the restart").isEqualTo("admin");
            assertThat(admin.tenants().get(tenant.id())).isEqualTo(tenant);
            assertThat(admin.domains().get(domain.id())).isEqualTo(domain);
            assertThat(admin.accounts().get(account.id())).isEqualTo(account);
            assertThat(admin.users().get(user.id())).isEqualTo(user);
            assertThat(admin.users().list(new Users.ListParams(null, Role.ADMIN, null, null, null)).total()).isEqualTo(1);
            assertThat(admin.tenants().list(new Tenants.ListParams("Demo", null, null)).total()).isEqualTo(1);
            CallibryClient keeper = client(second);
            keeper.login("keeper", "keeper-password");
            assertThat(keeper.whoami().tenantId()).isEqualTo(tenant.id());
        }
    }
}

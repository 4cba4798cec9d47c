package org.callibry.server;

import org.callibry.server.testing.TestServer;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.callibry.server.ops.internal.EmbeddedPostgresServer;
import org.callibry.shared.api.client.CallibryClient;
import org.callibry.shared.api.dto.Tenants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/** With {@code spring.datasource.*} set the server uses that PostgreSQL and starts no embedded one. */
class ExternalDatabaseIT {
    @TempDir
    Path dir;

    @Test
    void usesTheConfiguredDatabase() throws Exception {
        // a PostgreSQL server run outside the application, standing for an operator's database
        try (EmbeddedPostgresServer external = EmbeddedPostgresServer.start(dir.resolve("external"), dir.resolve("bin"), 0);
             ConfigurableApplicationContext app = TestServer.start(dir.resolve("data"), org.callibry.shared.testing.FreePorts.udpAndTcp(),
                     "--spring.datasource.url=" + external.jdbcUrl("postgres"), "--spring.datasource.username=postgres",
                     "--callibry.admin.password=external-pw")) {
            assertThat(app.getBeansOfType(EmbeddedPostgresServer.class)).as("no embedded server started").isEmpty();
            assertThat(Files.exists(dir.resolve("data/pgdata"))).isFalse();
            int port = TestServer.httpPort(app);
            CallibryClient admin = CallibryClient.of(URI.create("http://127.0.0.1:" + port + "/"));
            admin.login("admin", "external-pw");
            admin.tenants().create(new Tenants.Create("Stored outside", null, null));
            String stored = JdbcClient.create(new org.springframework.jdbc.datasource.DriverManagerDataSource(external.jdbcUrl("postgres")))
                    .sql("select name from tenant where name = 'Stored outside'").query(String.class).single();
            assertThat(stored).isEqualTo("Stored outside");
        }
    }
}

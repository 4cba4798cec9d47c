package org.callibry.server;

import org.callibry.server.testing.TestServer;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.callibry.server.ops.internal.EmbeddedPostgresServerAccess;
import org.callibry.shared.api.client.CallibryClient;
import org.callibry.shared.api.dto.Tenants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged server ({@code target/callibry-server.jar}, as the README runs it) in its own JVM:
 * SIGTERM stops it gracefully with PostgreSQL shut down cleanly; after a SIGKILL the next start
 * recovers the orphaned PostgreSQL and every committed change is still there.
 */
class ServerProcessIT {
    private static final Pattern HEALTHY = Pattern.compile("Callibry healthy in \\d+ ms .* HTTP on port (\\d+)");

    @TempDir
    Path dir;

    private record Running(Process process, int port, Path log) {
        CallibryClient client() {
            return CallibryClient.of(URI.create("http://127.0.0.1:" + port + "/"));
        }
    }

    private Running start(String name) throws Exception {
        Path jar = Path.of("target/callibry-server.jar").toAbsolutePath();
        assertThat(jar).as("mvn package builds the executable jar before the integration tests").exists();
        Path log = dir.resolve(name + ".log");
        Process p = new ProcessBuilder(command(jar, org.callibry.shared.testing.FreePorts.udpAndTcp()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline && p.isAlive()) {
            Matcher m = HEALTHY.matcher(Files.readString(log));
            if (m.find()) {
                return new Running(p, Integer.parseInt(m.group(1)), log);
            }
            Thread.sleep(200);
        }
        p.destroyForcibly();
        throw new AssertionError("server did not become healthy:\n" + Files.readString(log));
    }

    /** The packaged server with SIP on {@code sipPort}, TLS on a free port. */
    private java.util.List<String> command(Path jar, int sipPort) {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-jar", jar.toString()));
        cmd.addAll(java.util.List.of(TestServer.args(dir.resolve("data"), sipPort, org.callibry.shared.testing.FreePorts.udpAndTcp(),
                "--callibry.admin.password=proc-admin-pw", "--callibry.demo.enabled=false")));
        return cmd;
    }

    private Optional<Long> postmasterPid() throws IOException {
        Path pid = dir.resolve("data/pgdata/postmaster.pid");
        return Files.exists(pid) ? Optional.of(Long.parseLong(Files.readAllLines(pid).getFirst().trim())) : Optional.empty();
    }

    @Test
    void aServerThatCannotBindItsSipPortSaysWhyAndExitsWithItsDatabaseStopped() throws Exception {
        Path jar = Path.of("target/callibry-server.jar").toAbsolutePath();
        int taken = org.callibry.shared.testing.FreePorts.udpAndTcp();
        Path log = dir.resolve("clash.log");
        try (java.net.DatagramSocket holder = new java.net.DatagramSocket(taken, java.net.InetAddress.getLoopbackAddress())) {
            Process p = new ProcessBuilder(command(jar, taken))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            // before: the media server's and the user agents' SIP stacks kept non-daemon threads and the JVM lingered
            assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("the failed server exits by itself:\n%s", Files.readString(log)).isTrue();
            assertThat(p.exitValue()).isEqualTo(1);
        }
        assertThat(Files.readString(log)).contains("Cannot start SIP on 127.0.0.1:" + taken, "Address already in use");
        assertThat(postmasterPid()).as("the embedded PostgreSQL stopped with it").isEmpty();
    }

    @Test
    void sigtermStopsTheServerAndItsDatabaseCleanly() throws Exception {
        Running server = start("first");
        CallibryClient admin = server.client();
        admin.login("admin", "proc-admin-pw");
        admin.tenants().create(new Tenants.Create("Graceful", null, null));
        long postmaster = postmasterPid().orElseThrow();

        server.process().destroy(); // SIGTERM
        assertThat(server.process().waitFor(60, TimeUnit.SECONDS)).as("exits within 60 s").isTrue();
        assertThat(EmbeddedPostgresServerAccess.gone(postmaster)).as("PostgreSQL stopped").isTrue();
        assertThat(postmasterPid()).as("postmaster.pid removed by a clean shutdown").isEmpty();
        assertThat(Files.readString(server.log())).contains("Graceful shutdown").doesNotContain("Could not stop postmaster");
    }

    @Test
    void afterSigkillTheNextStartRecoversAndKeepsTheData() throws Exception {
        Running first = start("first");
        CallibryClient admin = first.client();
        admin.login("admin", "proc-admin-pw");
        Tenants.Tenant t = admin.tenants().create(new Tenants.Create("Survives a kill", null, null));
        long orphan = postmasterPid().orElseThrow();
        first.process().destroyForcibly(); // SIGKILL: no shutdown hook runs
        first.process().waitFor(30, TimeUnit.SECONDS);
        assertThat(EmbeddedPostgresServerAccess.running(orphan)).as("PostgreSQL outlived its JVM").isTrue();

        Running second = start("second");
        try {
            CallibryClient again = second.client();
            again.login("admin", "proc-admin-pw");
            assertThat(again.tenants().get(t.id()).name()).isEqualTo("Survives a kill");
            assertThat(EmbeddedPostgresServerAccess.gone(orphan)).isTrue();
            assertThat(Files.readString(second.log())).contains("after an unclean stop");
        } finally {
            second.process().destroy();
            second.process().waitFor(60, TimeUnit.SECONDS);
        }
    }
}

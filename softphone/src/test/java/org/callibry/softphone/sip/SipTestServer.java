package org.callibry.softphone.sip;

import org.callibry.shared.testing.FreePorts;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.callibry.shared.api.client.CallibryClient;
import org.callibry.shared.api.dto.Accounts;
import org.callibry.shared.api.dto.Domains;

/**
 * The packaged Callibry server ({@code ../server/target/callibry-server.jar}) in its own JVM on free
 * ports, with the demo tenant (domain {@code demo.callibry.test}, local extensions 1xxx, media relayed),
 * and accounts created through the JSON-RPC client.
 */
public final class SipTestServer implements AutoCloseable {
    static final String DOMAIN = "demo.callibry.test";
    public static final String PASSWORD = "softphone-pw-1";
    private static final String ADMIN_PASSWORD = "softphone-admin-1";
    private static final Pattern HEALTHY = Pattern.compile("Callibry healthy in \\d+ ms .* HTTP on port (\\d+)");

    public final int sipPort;
    /** The HTTP API's port. */
    public final int httpPort;
    final int tlsPort;
    final int stunPort;
    final Path log;
    /** The server's self-signed TLS key and certificate (PKCS#12, password {@code changeit}). */
    final Path tlsKeystore;
    private final Process process;
    private final CallibryClient admin;
    private final long domainId;

    private SipTestServer(Process process, int sipPort, int tlsPort, int stunPort, int httpPort, Path log) {
        this.stunPort = stunPort;
        this.process = process;
        this.sipPort = sipPort;
        this.httpPort = httpPort;
        this.tlsPort = tlsPort;
        this.log = log;
        this.tlsKeystore = log.resolveSibling("data").resolve("sip-tls.p12");
        this.admin = CallibryClient.of(URI.create("http://127.0.0.1:" + httpPort + "/"));
        admin.login("admin", ADMIN_PASSWORD);
        this.domainId = admin.domains().list(new Domains.ListParams(null, DOMAIN, null, null)).items().getFirst().id();
    }

    public static SipTestServer start(Path dir) throws Exception {
        Path jar = Path.of("../server/target/callibry-server.jar").toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("The packaged server is missing: " + jar
                    + " - build it first (mvn -pl server -am package -DskipTests, or run the reactor: the server module comes before softphone)");
        }
        Files.createDirectories(dir);
        Path log = dir.resolve("server.log");
        for (int attempt = 1; ; attempt++) {
            int sip = freePort();
            int tls = freePort();
            int stun = freePort();
            Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-Xmx512m", "-jar", jar.toString(),
                    "--server.port=0", "--callibry.sip.bind-address=127.0.0.1", "--callibry.media.bind-address=127.0.0.1",
                    "--callibry.media.node.ng-address=127.0.0.1:0", "--callibry.media.stun.port=" + stun,
                    "--callibry.media.stun.bind-address=127.0.0.1",
                    "--callibry.media.node.heartbeat-port=0", "--callibry.media.sip-port=" + freePort(),
                    "--callibry.sip.port=" + sip, "--callibry.sip.tls-port=" + tls, "--callibry.data-dir=" + dir.resolve("data"),
                    "--callibry.admin.password=" + ADMIN_PASSWORD, "--callibry.demo.password=" + PASSWORD,
                    "--callibry.api.login.max-failures-per-address=1000",
                    // short registrations allowed, so that a test sees the phone re-register
                    "--callibry.sip.min-expires=2s")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < deadline && p.isAlive()) {
                Matcher m = HEALTHY.matcher(Files.readString(log));
                if (m.find()) {
                    return new SipTestServer(p, sip, tls, stun, Integer.parseInt(m.group(1)), log);
                }
                Thread.sleep(200);
            }
            boolean died = !p.isAlive();
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
            String output = Files.readString(log);
            // a port handed out free may have been taken before the server bound it: once more, on others
            if (attempt < 3 && died && output.contains("java.net.BindException")) {
                Files.move(log, dir.resolve("server-attempt-" + attempt + ".log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                continue;
            }
            throw new IllegalStateException("server did not become healthy:\n" + output);
        }
    }

    /** A new account in the demo domain with {@link #PASSWORD}. */
    public Accounts.Account account(String number, String name) {
        return admin.accounts().create(new Accounts.Create(domainId, number, name, PASSWORD, null));
    }

    /**
     * The operator of {@code account} as an API user named like the account, with its SIP password
     * (what the phone uses for the API when no API user is set).
     */
    public void operator(Accounts.Account account) {
        admin.users().create(new org.callibry.shared.api.dto.Users.Create(account.number(), PASSWORD,
                org.callibry.shared.api.Role.OPERATOR, account.tenantId(), account.id(), account.displayName(), true));
    }

    /** A contact of the demo tenant (what the operator console's call card shows for {@code number}). */
    public void contact(long tenantId, String name, String number, String company) {
        admin.contacts().create(new org.callibry.shared.api.dto.Contacts.Create(tenantId, name, number, null, company, null));
    }

    /** A queue of the account's tenant with the account as its one agent, and the script its operators read. */
    public long queue(Accounts.Account agent, String number, String name, String script) {
        org.callibry.shared.api.dto.Queues.Queue q = admin.queues().create(org.callibry.shared.api.dto.Queues.Create.of(
                agent.tenantId(), number, name, org.callibry.shared.api.dto.Queues.Strategy.LINEAR,
                java.util.List.of(new org.callibry.shared.api.dto.Queues.Member(agent.id(), 0))));
        admin.setQueueScript(q.id(), script);
        return q.id();
    }

    /** {@code call.transfer} as a supervisor does it: the answered queue call goes to {@code destination}. */
    public void transfer(String callId, String destination) {
        admin.transferCall(callId, destination);
    }

    /** Sets the operator status of {@code account} as an admin would (unavailable with a reason, or free). */
    public void agentStatus(Accounts.Account account, boolean free, String reason) {
        admin.setAgentStatus(new org.callibry.shared.api.dto.Agents.SetStatus(free ? org.callibry.shared.api.dto.Agents.Status.FREE
                : org.callibry.shared.api.dto.Agents.Status.UNAVAILABLE, reason, account.id()));
    }

    /** A route sending calls to {@code number} to a gateway at {@code 127.0.0.1:port} (media relayed). */
    public void gatewayRoute(String number, int port) {
        admin.routes().create(org.callibry.shared.api.dto.Routes.Create.of("gateway " + number, "^" + number + "$",
                org.callibry.shared.api.dto.Routes.DestinationType.GATEWAY, "127.0.0.1:" + port));
    }

    java.time.Instant registeredUntil(long accountId) {
        return admin.accounts().get(accountId).registeredUntil();
    }

    /** Whether the account is registered now. */
    public boolean online(long accountId) {
        return admin.accounts().get(accountId).online();
    }

    public SoftphoneAccount settings(String number, Transport transport) {
        return SoftphoneAccount.of("127.0.0.1", transport == Transport.TLS ? tlsPort : sipPort, transport, number, PASSWORD, DOMAIN);
    }

    public static int freePort() {
        return FreePorts.udpAndTcp();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}

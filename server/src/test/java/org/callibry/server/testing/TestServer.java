package org.callibry.server.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.callibry.server.CallibryServer;
import org.callibry.shared.testing.FreePorts;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The softswitch as the integration tests start it: everything on 127.0.0.1, HTTP, STUN, the relay's
 * control and heartbeat ports chosen by the kernel, SIP and the media server's SIP endpoint on
 * {@link FreePorts}, its own data directory.
 */
public final class TestServer {
    private TestServer() {
    }

    /** The command-line arguments, then {@code extra} (which may override any of them). */
    public static String[] args(Path dataDir, int sipPort, int tlsPort, String... extra) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--callibry.data-dir=" + dataDir,
                "--callibry.sip.bind-address=127.0.0.1", "--callibry.sip.port=" + sipPort, "--callibry.sip.tls-port=" + tlsPort,
                "--callibry.media.bind-address=127.0.0.1", "--callibry.media.node.ng-address=127.0.0.1:0",
                "--callibry.media.stun.port=0", "--callibry.media.node.heartbeat-port=0",
                "--callibry.media.sip-port=" + FreePorts.udpAndTcp()));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    /** Started in this JVM with SIP on {@code sipPort} and TLS on {@code tlsPort}. */
    public static ConfigurableApplicationContext start(Path dataDir, int sipPort, int tlsPort, String... extra) {
        return SpringApplication.run(CallibryServer.class, args(dataDir, sipPort, tlsPort, extra));
    }

    /** Started in this JVM with SIP on {@code sipPort} and TLS on a free port. */
    public static ConfigurableApplicationContext start(Path dataDir, int sipPort, String... extra) {
        return start(dataDir, sipPort, FreePorts.udpAndTcp(), extra);
    }

    /** The HTTP port the kernel gave the server. */
    public static int httpPort(ConfigurableApplicationContext server) {
        return ((WebServerApplicationContext) server).getWebServer().getPort();
    }
}

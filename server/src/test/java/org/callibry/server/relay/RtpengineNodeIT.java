package org.callibry.server.relay;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.callibry.server.CallibryServer;
import org.callibry.server.nodes.ng.Bencode;
import org.callibry.server.nodes.ng.NgClient;
import org.callibry.shared.testing.FreePorts;
import org.callibry.server.testing.Sipp;
import org.callibry.shared.api.client.CallibryClient;
import org.callibry.shared.api.dto.Peers;
import org.callibry.shared.api.dto.SystemInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * A stock rtpengine daemon (Debian package {@code rtpengine-daemon}) as the only media node of a
 * signaling-only server: our proxy drives it by ng, as Kamailio drives ours in {@code KamailioRelayIT}
 * (the other direction of the compatibility).
 *
 * <p>Scenario: a SIPp caller (a trusted peer) calls through our proxy to a SIPp gateway on a route that
 * relays media. The static node is reported healthy first; the gateway's INVITE and the caller's 200
 * carry rtpengine's address and a port of its range; RTP sent by each party to its rtpengine port
 * reaches the other party, from the other party's rtpengine port; after the BYE rtpengine holds no call
 * for that Call-ID (our relay sent {@code delete}) and {@code system.nodes} shows the node's load back
 * at 0. Fails, rather than skips, when rtpengine or sipp is not installed.
 */
class RtpengineNodeIT {
    private static final Path RTPENGINE = Path.of("/usr/bin/rtpengine");
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    /** rtpengine's media ports: no other test uses this range, and the scenarios check it. */
    private static final int PORT_MIN = 36000;
    private static final int PORT_MAX = 36999;
    private static final String ADMIN_PASSWORD = "rtpengine-node-admin";

    @TempDir
    Path tmp;

    @Test
    void ourSignalingAnchorsACallOnAStockRtpengine() throws Exception {
        assertThat(Files.isExecutable(RTPENGINE))
                .as("%s is missing: install the Debian package rtpengine-daemon (scripts/test-packages.txt)", RTPENGINE)
                .isTrue();
        int ngPort = FreePorts.udpAndTcp();
        InetSocketAddress ngAddress = new InetSocketAddress("127.0.0.1", ngPort);
        String nodeId = "127.0.0.1:" + ngPort;
        Path rtpengineLog = tmp.resolve("rtpengine.log");
        // --delete-delay=0: a deleted call leaves rtpengine's memory at once (the default keeps it 30 s)
        Process rtpengine = new ProcessBuilder(RTPENGINE.toString(), "--config-file=none", "--table=-1",
                "--interface=127.0.0.1", "--listen-ng=" + nodeId, "--port-min=" + PORT_MIN, "--port-max=" + PORT_MAX,
                "--delete-delay=0", "--foreground", "--log-stderr")
                .redirectErrorStream(true).redirectOutput(rtpengineLog.toFile()).start();
        int sipPort = FreePorts.udpAndTcp();
        try (ConfigurableApplicationContext signaling = SpringApplication.run(CallibryServer.class, "--server.port=0",
                "--callibry.roles=signaling", "--callibry.demo.enabled=false", "--callibry.admin.password=" + ADMIN_PASSWORD,
                "--callibry.data-dir=" + tmp.resolve("signaling"), "--callibry.sip.bind-address=127.0.0.1",
                "--callibry.sip.port=" + sipPort, "--callibry.sip.tls-port=0", "--callibry.media.stun.port=0",
                "--callibry.media.node.heartbeat-port=0", "--callibry.media.node.ng-address=127.0.0.1:0",
                "--callibry.media.sip-port=0", "--callibry.media.node.static-nodes=" + nodeId);
             NgClient ng = new NgClient(new InetSocketAddress("127.0.0.1", 0), Duration.ofSeconds(2), Duration.ofMillis(300), 3);
             DatagramSocket caller = socketOutsideRange();
             DatagramSocket callee = socketOutsideRange()) {
            int http = Integer.parseInt(signaling.getEnvironment().getProperty("local.server.port"));
            CallibryClient admin = CallibryClient.of(URI.create("http://127.0.0.1:" + http + "/"));
            admin.login("admin", ADMIN_PASSWORD);
            awaitHealthy(admin, nodeId, rtpengine, rtpengineLog);
            assertThat(node(admin, nodeId).orElseThrow().kind()).isEqualTo("STATIC");

            int gatewayPort = FreePorts.udpAndTcp();
            String number = "66" + (100_000 + (int) (Math.random() * 800_000));
            admin.peers().create(new Peers.Create("peer-" + number, "127.0.0.2", null, null));
            Map<String, Object> route = new LinkedHashMap<>();
            route.put("name", "to gateway " + number);
            route.put("priority", 1);
            route.put("bNumberMask", "^" + number + "$");
            route.put("destinationType", "GATEWAY");
            route.put("destination", "127.0.0.1:" + gatewayPort);
            route.put("relayMedia", true);
            admin.call("route.create", route, JsonNode.class);

            String callId = "rtpengine-node-" + UUID.randomUUID();
            try (Sipp.Running gateway = Sipp.start(tmp, null, "rtpengine-uas.xml", gatewayPort, "-m", "1",
                    "-key", "callee_rtp", Integer.toString(callee.getLocalPort()))) {
                Thread.sleep(300);
                try (Sipp.Running uac = Sipp.start(tmp, "127.0.0.1:" + sipPort, "rtpengine-uac.xml", FreePorts.udpAndTcp(),
                        "-i", "127.0.0.2", "-m", "1", "-d", "3000",
                        "-key", "callee_uri", "sip:" + number + "@127.0.0.1:" + sipPort,
                        "-cid_str", callId, // no % in it: the Call-ID is taken as is
                        "-key", "caller_rtp", Integer.toString(caller.getLocalPort()))) {
                    Map<String, Object> call = awaitAnswered(ng, ngAddress, callId, uac, gateway, rtpengineLog);
                    assertThat(node(admin, nodeId).orElseThrow().load()).as("the call counts in the node's load").isEqualTo(1);
                    int callerSendsTo = rtpenginePortFor(call, caller.getLocalPort());
                    int calleeSendsTo = rtpenginePortFor(call, callee.getLocalPort());
                    assertThat(List.of(callerSendsTo, calleeSendsTo)).allSatisfy(p -> assertThat(p).isBetween(PORT_MIN, PORT_MAX));
                    assertThat(callerSendsTo).isNotEqualTo(calleeSendsTo);

                    RelayAssertions.assertRelayed(caller, callerSendsTo, callee, calleeSendsTo, 1);
                    RelayAssertions.assertRelayed(callee, calleeSendsTo, caller, callerSendsTo, 2);

                    Sipp.Result callerResult = uac.await(Duration.ofSeconds(20));
                    assertThat(callerResult.passed()).as("caller: " + callerResult.output()).isTrue();
                    Sipp.Result gatewayResult = gateway.await(Duration.ofSeconds(10));
                    assertThat(gatewayResult.passed()).as("gateway: " + gatewayResult.output()).isTrue();
                }
            }
            awaitDeleted(ng, ngAddress, callId, rtpengineLog);
            // rtpengine's own account: the call came and went by our ng commands (its timeouts are a minute and more)
            assertThat(Files.readString(rtpengineLog)).contains("[" + callId + "]: [control] Received command 'offer'",
                    "[" + callId + "]: [control] Received command 'answer'", "[" + callId + "]: [control] Received command 'delete'");
            assertThat(node(admin, nodeId)).hasValueSatisfying(n -> {
                assertThat(n.kind()).isEqualTo("STATIC");
                assertThat(n.healthy()).isTrue();
                assertThat(n.load()).as("the ended call no longer counts").isZero();
            });
        } finally {
            rtpengine.destroyForcibly();
            rtpengine.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** A UDP socket on loopback whose port is not in rtpengine's range (so an unrewritten SDP fails the scenarios). */
    private static DatagramSocket socketOutsideRange() throws IOException {
        while (true) {
            DatagramSocket s = new DatagramSocket(0, LOOPBACK);
            if (s.getLocalPort() < PORT_MIN || s.getLocalPort() > PORT_MAX) {
                return s;
            }
            s.close();
        }
    }

    private static Optional<SystemInfo.Node> node(CallibryClient admin, String id) {
        return admin.nodes().nodes().stream().filter(n -> n.id().equals(id)).findFirst();
    }

    private static void awaitHealthy(CallibryClient admin, String id, Process rtpengine, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline && rtpengine.isAlive()) {
            if (node(admin, id).map(SystemInfo.Node::healthy).orElse(false)) {
                return;
            }
            Thread.sleep(100);
        }
        fail("the static node " + id + " never became healthy: " + admin.nodes().nodes() + "\n--- rtpengine ---\n"
                + Files.readString(log));
    }

    /** rtpengine's {@code query} of the call once both parties have a stream with an address (offer and answer done). */
    private static Map<String, Object> awaitAnswered(NgClient ng, InetSocketAddress rtpengine, String callId, Sipp.Running uac,
                                                     Sipp.Running gateway, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String last = null;
        while (System.nanoTime() < deadline) {
            try {
                Map<String, Object> q = ng.command(rtpengine, Map.of("command", "query", "call-id", callId));
                if (endpoints(q).size() == 2) {
                    return q;
                }
                last = Bencode.encodeToString(q);
            } catch (NgClient.NgException e) {
                last = e.getMessage();
            }
            if (!uac.process().isAlive()) {
                break;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("rtpengine never saw offer and answer of " + callId + ": " + last + "\n--- caller ---\n"
                + Files.readString(uac.log()) + "\n--- gateway ---\n" + Files.readString(gateway.log()) + "\n--- rtpengine ---\n"
                + Files.readString(log));
    }

    /** Until rtpengine no longer knows the call: {@code query} is an error and {@code list} does not name it. */
    private static void awaitDeleted(NgClient ng, InetSocketAddress rtpengine, String callId, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        String last;
        do {
            List<String> calls = ((List<?>) ng.command(rtpengine, Map.of("command", "list")).get("calls")).stream()
                    .map(Bencode::string).toList();
            try {
                last = Bencode.encodeToString(ng.command(rtpengine, Map.of("command", "query", "call-id", callId)));
            } catch (NgClient.NgException e) {
                assertThat(e.timeout()).isFalse();
                assertThat(e.getMessage()).containsIgnoringCase("unknown call");
                if (!calls.contains(callId)) {
                    return;
                }
                last = "listed: " + calls;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        fail("rtpengine still holds " + callId + " after the BYE: " + last + "\n--- rtpengine ---\n" + Files.readString(log));
    }

    /** Per RTP stream of the query (RTCP left out): the party's port (from its SDP, or latched) -> the rtpengine port it sends to. */
    @SuppressWarnings("unchecked")
    private static Map<Integer, Integer> endpoints(Map<String, Object> query) {
        Map<Integer, Integer> out = new TreeMap<>();
        if (!(query.get("tags") instanceof Map<?, ?> tags)) {
            return out;
        }
        for (Object tag : tags.values()) {
            for (Object media : (List<Object>) ((Map<String, Object>) tag).get("medias")) {
                for (Object s : (List<Object>) ((Map<String, Object>) media).get("streams")) {
                    Map<String, Object> stream = (Map<String, Object>) s;
                    boolean rtp = stream.get("flags") instanceof List<?> flags
                            && flags.stream().map(Bencode::string).toList().contains("RTP");
                    if (rtp && stream.get("endpoint") instanceof Map<?, ?> endpoint && endpoint.get("port") instanceof Long port
                            && port > 0) {
                        out.put(port.intValue(), ((Long) stream.get("local port")).intValue());
                    }
                }
            }
        }
        return out;
    }

    private static int rtpenginePortFor(Map<String, Object> query, int partyPort) {
        Integer port = endpoints(query).get(partyPort);
        assertThat(port).as("an rtpengine stream towards port %d in %s", partyPort, Bencode.encodeToString(query)).isNotNull();
        return port;
    }
}

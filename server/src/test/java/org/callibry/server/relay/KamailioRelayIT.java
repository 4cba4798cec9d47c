package org.callibry.server.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.callibry.server.api.ApiTestSupport;
import org.callibry.shared.testing.FreePorts;
import org.callibry.server.testing.Sipp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kamailio (Debian package {@code kamailio}, with its {@code rtpengine} module) uses our relay as its
 * rtpengine through the ng protocol: a stock Kamailio stateful proxy between a SIPp caller and a SIPp
 * callee calls {@code rtpengine_offer/answer/delete} against our ng listener.
 *
 * <p>Scenarios: both SDPs are rewritten to our relay (the SIPp scenarios check the address and a port
 * of our range); RTP sent by each party to its relay port reaches the other party, from the other
 * party's relay port (symmetric RTP); after the BYE the relay holds no call for that Call-ID.
 */
class KamailioRelayIT extends ApiTestSupport {
    private static final Path KAMAILIO = Path.of("/usr/sbin/kamailio");
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    Path tmp;

    @Test
    void kamailioAnchorsACallInOurRelayThroughTheNgProtocol() throws Exception {
        String callId = "kamailio-" + UUID.randomUUID();
        int uasPort = FreePorts.udpAndTcp();
        try (Kamailio proxy = Kamailio.start(tmp, NG_PORT);
             DatagramSocket caller = new DatagramSocket(0, LOOPBACK);
             DatagramSocket callee = new DatagramSocket(0, LOOPBACK);
             Sipp.Running uas = Sipp.start(tmp, null, "kamailio-uas.xml", uasPort, "-m", "1",
                     "-key", "callee_rtp", Integer.toString(callee.getLocalPort()))) {
            Thread.sleep(300);
            try (Sipp.Running uac = Sipp.start(tmp, "127.0.0.1:" + proxy.port(), "kamailio-uac.xml", FreePorts.udpAndTcp(),
                    "-m", "1", "-d", "3000",
                    "-key", "callee_uri", "sip:callee@127.0.0.1:" + uasPort,
                    "-cid_str", callId, // no % in it: the Call-ID is taken as is, one call
                    "-key", "caller_rtp", Integer.toString(caller.getLocalPort()))) {
                Map<String, Object> call = awaitAnswered(callId, proxy, uac);
                int callerSendsTo = relayPortFor(call, caller.getLocalPort());
                int calleeSendsTo = relayPortFor(call, callee.getLocalPort());
                assertThat(List.of(callerSendsTo, calleeSendsTo)).allSatisfy(p -> assertThat(p).isBetween(20000, 29999));
                assertThat(callerSendsTo).isNotEqualTo(calleeSendsTo);

                RelayAssertions.assertRelayed(caller, callerSendsTo, callee, calleeSendsTo, 1);
                RelayAssertions.assertRelayed(callee, calleeSendsTo, caller, callerSendsTo, 2);

                Sipp.Result callerResult = uac.await(Duration.ofSeconds(20));
                assertThat(callerResult.passed()).as("caller: " + callerResult.output() + proxy.log()).isTrue();
                Sipp.Result calleeResult = uas.await(Duration.ofSeconds(10));
                assertThat(calleeResult.passed()).as("callee: " + calleeResult.output() + proxy.log()).isTrue();
            }
            awaitReleased(callId, proxy);
        }
    }

    /** The ng {@code query} of the call once both parties have a stream with an address (offer and answer done). */
    private Map<String, Object> awaitAnswered(String callId, Kamailio proxy, Sipp.Running uac) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Map<String, Object> last = null;
        while (System.nanoTime() < deadline) {
            last = ng(Map.of("command", "query", "call-id", callId));
            if ("ok".equals(last.get("result")) && endpoints(last).size() == 2) {
                return last;
            }
            if (!uac.process().isAlive()) {
                break;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the relay never saw offer and answer of " + callId + ": " + last + "\n"
                + Files.readString(uac.log()) + proxy.log());
    }

    private void awaitReleased(String callId, Kamailio proxy) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        Map<String, Object> query;
        Map<String, Object> list;
        do {
            query = ng(Map.of("command", "query", "call-id", callId));
            list = ng(Map.of("command", "list"));
            if ("error".equals(query.get("result")) && !((List<?>) list.get("calls")).contains(callId)) {
                return;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        fail("the relay still holds " + callId + " after the BYE: " + query + " " + list + proxy.log());
    }

    /** Per stream of the query: the party's address port (from its SDP, or latched) -> the relay port it sends to. */
    @SuppressWarnings("unchecked")
    private static Map<Integer, Integer> endpoints(Map<String, Object> query) {
        Map<Integer, Integer> out = new TreeMap<>();
        for (Object tag : ((Map<String, Object>) query.get("tags")).values()) {
            for (Object media : (List<Object>) ((Map<String, Object>) tag).get("medias")) {
                for (Object s : (List<Object>) ((Map<String, Object>) media).get("streams")) {
                    Map<String, Object> stream = (Map<String, Object>) s;
                    if (stream.get("endpoint") instanceof Map<?, ?> endpoint) {
                        out.put(((Long) endpoint.get("port")).intValue(), ((Long) stream.get("local port")).intValue());
                    }
                }
            }
        }
        return out;
    }

    private static int relayPortFor(Map<String, Object> query, int partyPort) {
        Integer port = endpoints(query).get(partyPort);
        assertThat(port).as("a relay stream towards port %d in %s", partyPort, query).isNotNull();
        return port;
    }

    // ------------------------------------------------------------ a minimal ng client (bencode over UDP)

    private Map<String, Object> ng(Map<String, Object> command) throws IOException {
        String cookie = UUID.randomUUID().toString().substring(0, 8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((cookie + " ").getBytes(StandardCharsets.US_ASCII));
        encode(command, out);
        byte[] request = out.toByteArray();
        try (DatagramSocket socket = new DatagramSocket(0, LOOPBACK)) {
            socket.setSoTimeout(2000);
            socket.send(new DatagramPacket(request, request.length, new InetSocketAddress(LOOPBACK, NG_PORT)));
            DatagramPacket reply = new DatagramPacket(new byte[65536], 65536);
            socket.receive(reply);
            String text = new String(reply.getData(), 0, reply.getLength(), StandardCharsets.ISO_8859_1);
            assertThat(text).startsWith(cookie + " ");
            @SuppressWarnings("unchecked")
            Map<String, Object> dict = (Map<String, Object>) new Decoder(text, cookie.length() + 1).next();
            return dict;
        }
    }

    private static void encode(Object value, ByteArrayOutputStream out) {
        switch (value) {
            case String s -> {
                byte[] b = s.getBytes(StandardCharsets.UTF_8);
                out.writeBytes((b.length + ":").getBytes(StandardCharsets.US_ASCII));
                out.writeBytes(b);
            }
            case Number n -> out.writeBytes(("i" + n.longValue() + "e").getBytes(StandardCharsets.US_ASCII));
            case List<?> list -> {
                out.write('l');
                list.forEach(v -> encode(v, out));
                out.write('e');
            }
            case Map<?, ?> map -> {
                out.write('d');
                new TreeMap<>(map).forEach((k, v) -> {
                    encode(k, out);
                    encode(v, out);
                });
                out.write('e');
            }
            default -> throw new IllegalArgumentException("cannot bencode " + value);
        }
    }

    /** Bencode reader over the reply as ISO-8859-1 text (byte = char), strings decoded as such. */
    private static final class Decoder {
        private final String s;
        private int i;

        Decoder(String s, int start) {
            this.s = s;
            this.i = start;
        }

        Object next() {
            char c = s.charAt(i);
            switch (c) {
                case 'i' -> {
                    int end = s.indexOf('e', i);
                    long v = Long.parseLong(s.substring(i + 1, end));
                    i = end + 1;
                    return v;
                }
                case 'l' -> {
                    i++;
                    List<Object> list = new ArrayList<>();
                    while (s.charAt(i) != 'e') {
                        list.add(next());
                    }
                    i++;
                    return list;
                }
                case 'd' -> {
                    i++;
                    Map<String, Object> map = new LinkedHashMap<>();
                    while (s.charAt(i) != 'e') {
                        String key = (String) next();
                        map.put(key, next());
                    }
                    i++;
                    return map;
                }
                default -> {
                    int colon = s.indexOf(':', i);
                    int length = Integer.parseInt(s.substring(i, colon));
                    i = colon + 1 + length;
                    return s.substring(colon + 1, i);
                }
            }
        }
    }

    // ------------------------------------------------------------ Kamailio

    /** A Kamailio stateful proxy in the foreground, anchoring media with its rtpengine module at our ng port. */
    private record Kamailio(Process process, int port, Path logFile) implements AutoCloseable {

        static Kamailio start(Path dir, int ngPort) throws Exception {
            if (!Files.isExecutable(KAMAILIO)) {
                throw new AssertionError("kamailio is not installed: run scripts/test.sh, which installs the Debian package "
                        + "kamailio (it carries the rtpengine module)");
            }
            int port = FreePorts.udpAndTcp();
            Path runtime = Files.createDirectories(dir.resolve("kamailio-run"));
            Path cfg = Files.writeString(dir.resolve("kamailio.cfg"), config(port, ngPort));
            Path log = dir.resolve("kamailio.log");
            // -DD: stay in the foreground (no daemon) but fork the workers; -E: log to stderr;
            // -Y: runtime dir instead of /run/kamailio; -m/-M: small shared/private memory; -T: no TCP
            Process p = new ProcessBuilder(KAMAILIO.toString(), "-DD", "-E", "-T", "-f", cfg.toString(),
                    "-Y", runtime.toString(), "-P", dir.resolve("kamailio.pid").toString(), "-w", dir.toString(),
                    "-m", "32", "-M", "4")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Kamailio k = new Kamailio(p, port, log);
            try {
                k.awaitListening();
            } catch (AssertionError | Exception e) {
                k.close();
                throw e;
            }
            return k;
        }

        /**
         * A record-routing stateful proxy forwarding by Request-URI: the INVITE's offer goes through
         * rtpengine_offer(), every reply with SDP through rtpengine_answer(), and BYE, CANCEL or a failed
         * INVITE end the relay session with rtpengine_delete(). OPTIONS to the proxy itself answers 200
         * (the readiness probe).
         */
        private static String config(int port, int ngPort) {
            return """
                    #!KAMAILIO
                    debug=2
                    log_stderror=yes
                    fork=yes
                    children=2
                    disable_tcp=yes
                    auto_aliases=no
                    listen=udp:127.0.0.1:%d
                    mpath="/usr/lib/x86_64-linux-gnu/kamailio/modules/"
                    loadmodule "tm.so"
                    loadmodule "sl.so"
                    loadmodule "rr.so"
                    loadmodule "pv.so"
                    loadmodule "maxfwd.so"
                    loadmodule "textops.so"
                    loadmodule "siputils.so"
                    loadmodule "rtpengine.so"
                    modparam("rtpengine", "rtpengine_sock", "udp:127.0.0.1:%d")

                    request_route {
                        if (!mf_process_maxfwd_header("10")) {
                            sl_send_reply("483", "Too Many Hops");
                            exit;
                        }
                        if (is_method("OPTIONS") && uri == myself) {
                            sl_send_reply("200", "Ready");
                            exit;
                        }
                        if (has_totag()) {
                            if (loose_route()) {
                                if (is_method("BYE")) {
                                    rtpengine_delete();
                                }
                                route(RELAY);
                            }
                            if (is_method("ACK") && t_check_trans()) {
                                t_relay();
                            }
                            exit;
                        }
                        if (is_method("CANCEL")) {
                            if (t_check_trans()) {
                                rtpengine_delete();
                                t_relay();
                            }
                            exit;
                        }
                        record_route();
                        if (is_method("INVITE") && has_body("application/sdp")) {
                            if (!rtpengine_offer()) {
                                sl_send_reply("503", "Media Relay Unavailable");
                                exit;
                            }
                        }
                        route(RELAY);
                    }

                    route[RELAY] {
                        if (is_method("INVITE")) {
                            t_on_reply("MEDIA");
                            t_on_failure("ENDED");
                        }
                        if (!t_relay()) {
                            sl_reply_error();
                        }
                        exit;
                    }

                    onreply_route[MEDIA] {
                        if (has_body("application/sdp")) {
                            rtpengine_answer();
                        }
                    }

                    failure_route[ENDED] {
                        rtpengine_delete();
                    }
                    """.formatted(port, ngPort);
        }

        /** Until an OPTIONS to the proxy is answered 200 (its workers are up and the rtpengine module loaded). */
        private void awaitListening() throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            try (DatagramSocket probe = new DatagramSocket(0, LOOPBACK)) {
                probe.setSoTimeout(200);
                int n = 0;
                while (System.nanoTime() < deadline) {
                    if (!process.isAlive()) {
                        throw new AssertionError("kamailio exited with " + process.exitValue() + log());
                    }
                    String options = "OPTIONS sip:127.0.0.1:" + port + " SIP/2.0\r\n"
                            + "Via: SIP/2.0/UDP 127.0.0.1:" + probe.getLocalPort() + ";branch=z9hG4bK-probe" + (++n) + "\r\n"
                            + "Max-Forwards: 70\r\nFrom: <sip:probe@127.0.0.1>;tag=probe\r\nTo: <sip:127.0.0.1>\r\n"
                            + "Call-ID: probe-" + n + "\r\nCSeq: " + n + " OPTIONS\r\nContent-Length: 0\r\n\r\n";
                    byte[] b = options.getBytes(StandardCharsets.US_ASCII);
                    probe.send(new DatagramPacket(b, b.length, new InetSocketAddress(LOOPBACK, port)));
                    DatagramPacket in = new DatagramPacket(new byte[4096], 4096);
                    try {
                        probe.receive(in);
                        if (new String(in.getData(), 0, in.getLength(), StandardCharsets.US_ASCII).startsWith("SIP/2.0 200")) {
                            return;
                        }
                    } catch (SocketTimeoutException notYet) {
                        // not listening yet
                    }
                }
            }
            throw new AssertionError("kamailio did not answer OPTIONS on port " + port + " within 10 s" + log());
        }

        String log() {
            try {
                return "\n--- kamailio ---\n" + Files.readString(logFile);
            } catch (IOException e) {
                return "\n(no kamailio log: " + e + ")";
            }
        }

        @Override
        public void close() throws InterruptedException {
            // SIGTERM to the main process stops its workers; anything left is killed
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor();
            }
        }
    }
}

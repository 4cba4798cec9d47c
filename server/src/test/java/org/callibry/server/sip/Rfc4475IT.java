package org.callibry.server.sip;

import org.callibry.server.testing.TestServer;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Stream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.callibry.shared.testing.FreePorts;
import org.callibry.server.testing.Rfc4475Messages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The 49 RFC 4475 torture messages, each sent over UDP to the running server as it is (byte for
 * byte), each answered as its section says. They are third-party text read from the directory named
 * by the system property {@code callibry.testdata} ({@code .ci/run} sets it to {@code ../shared/testdata},
 * see {@link Rfc4475Messages}): without the property no server starts and the tests are skipped,
 * naming it; when it is set and the files are missing, the test fails.
 *
 * <p>The messages' Via headers name hosts like {@code host5.example.com} without a port and no
 * {@code rport}, so, as RFC 3261 §18.2.2 says, answers go to the source address and port 5060: the
 * test listens there (UDP, and TCP on 5060 and 5061 for Vias that say TCP or TLS). Many messages share
 * one branch, which JAIN-SIP would take for retransmissions: see {@link #withFreshBranch}.
 */
class Rfc4475IT {
    /** What must come back: a final answer with this code, no answer, or any handling but a rejection. */
    private static final int NONE = 0;
    private static final int HANDLED = -1;

    private static final Map<String, Integer> EXPECTED = Map.ofEntries(
            // 3.1.1 valid messages: parsed and handled (not rejected as malformed); responses are not answered
            Map.entry("wsinv.dat", HANDLED), Map.entry("intmeth.dat", HANDLED), Map.entry("esc01.dat", HANDLED),
            Map.entry("escnull.dat", HANDLED), Map.entry("esc02.dat", HANDLED), Map.entry("lwsdisp.dat", HANDLED),
            Map.entry("longreq.dat", HANDLED), Map.entry("dblreq.dat", HANDLED), Map.entry("semiuri.dat", HANDLED),
            Map.entry("transports.dat", HANDLED), Map.entry("mpart01.dat", HANDLED), Map.entry("unreason.dat", NONE),
            Map.entry("noreason.dat", NONE),
            // 3.1.2 invalid messages: requests get 400 (505 for an unknown SIP version), responses are dropped
            Map.entry("badinv01.dat", 400), Map.entry("clerr.dat", 400), Map.entry("ncl.dat", 400),
            Map.entry("scalar02.dat", 400), Map.entry("scalarlg.dat", NONE), Map.entry("quotbal.dat", 400),
            Map.entry("ltgtruri.dat", 400), Map.entry("lwsruri.dat", 400), Map.entry("lwsstart.dat", 400),
            Map.entry("trws.dat", 400), Map.entry("escruri.dat", 400), Map.entry("baddate.dat", 400),
            Map.entry("regbadct.dat", 400), Map.entry("badaspec.dat", 400), Map.entry("baddn.dat", 400),
            Map.entry("badvers.dat", 505), Map.entry("mismatch01.dat", 400), Map.entry("mismatch02.dat", 400),
            Map.entry("bigcode.dat", NONE),
            // 3.2 a pre-RFC 3261 branch is still a transaction like any other
            Map.entry("badbranch.dat", HANDLED),
            // 3.3 application layer
            Map.entry("insuf.dat", 400), Map.entry("unkscm.dat", 416), Map.entry("novelsc.dat", 416),
            Map.entry("unksm2.dat", 416), Map.entry("bext01.dat", 420), Map.entry("invut.dat", HANDLED),
            Map.entry("regaut01.dat", HANDLED), Map.entry("multi01.dat", 400), Map.entry("mcl01.dat", 400),
            Map.entry("bcast.dat", NONE), Map.entry("zeromf.dat", 483), Map.entry("cparam01.dat", HANDLED),
            Map.entry("cparam02.dat", HANDLED), Map.entry("regescrt.dat", HANDLED), Map.entry("sdp01.dat", HANDLED),
            // 3.4 an RFC 2543 request is handled
            Map.entry("inv2543.dat", HANDLED));

    /**
     * Where the server does not (yet) do what the RFC asks, with the reason; the test asserts the
     * behaviour as it is, so a fix shows up as a failure to update this list.
     */
    private static final Map<String, String> KNOWN_DEVIATIONS = Map.of(
            "insuf.dat", "JAIN-SIP drops a request without From, To and Call-ID instead of answering 400",
            "inv2543.dat", "JAIN-SIP opens no server transaction for an RFC 2543 request without a From tag;"
                    + " the server answers it 400 statelessly");

    private static final Pattern CALL_ID = Pattern.compile("^(?:Call-ID|i)[ \\t]*:[ \\t]*(\\S+)", Pattern.MULTILINE | Pattern.CASE_INSENSITIVE);
    private static final Pattern BRANCH = Pattern.compile("branch=([^;,\\s]+)", Pattern.CASE_INSENSITIVE);

    private static ConfigurableApplicationContext server;
    private static int sipPort;
    private static DatagramSocket udp;
    private static final List<ServerSocket> tcp = new ArrayList<>();
    private static final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    private static final java.util.Set<String> usedBranches = new java.util.HashSet<>();

    static Path dir() {
        return Rfc4475Messages.dir();
    }

    static Stream<Arguments> messages() throws IOException {
        return Rfc4475Messages.index().stream().map(e -> Arguments.of(e.section(), e.file(), e.kind()));
    }

    @BeforeAll
    static void start(@TempDir Path data) throws IOException {
        if (!Rfc4475Messages.configured()) {
            return; // no server: the tests skip themselves, naming the property
        }
        Rfc4475Messages.index(); // fails before binding 5060 and starting the server when the files are missing
        udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 5060));
        udp.setSoTimeout(50);
        for (int port : new int[] {5060, 5061}) {
            ServerSocket ss = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
            tcp.add(ss);
            Thread.ofVirtual().start(() -> {
                while (!ss.isClosed()) {
                    try {
                        Socket s = ss.accept();
                        // the server keeps the connection for later answers: read until it closes it
                        Thread.ofVirtual().start(() -> {
                            try (s; InputStream in = s.getInputStream()) {
                                byte[] buf = new byte[65536];
                                int n;
                                while ((n = in.read(buf)) > 0) {
                                    answers.add(new String(buf, 0, n, StandardCharsets.UTF_8));
                                }
                            } catch (IOException e) {
                                // connection closed
                            }
                        });
                    } catch (IOException e) {
                        // listener closed
                    }
                }
            });
        }
        sipPort = FreePorts.udpAndTcp();
        server = TestServer.start(data, sipPort, "--callibry.admin.password=rfc4475-admin");
    }

    @AfterAll
    static void stop() throws IOException {
        if (server != null) {
            server.close();
        }
        if (udp != null) {
            udp.close();
        }
        for (ServerSocket ss : tcp) {
            ss.close();
        }
    }

    @Test
    void everyMessageOfTheIndexHasAnExpectation() throws IOException {
        assertThat(messages().map(a -> (String) a.get()[1]).toList()).hasSize(49).allMatch(EXPECTED::containsKey);
    }

    @ParameterizedTest(name = "{0} {1} ({2})")
    @MethodSource("messages")
    void answeredAsTheRfcSays(String section, String file, String kind) throws Exception {
        byte[] message = Files.readAllBytes(dir().resolve(file));
        String text = new String(message, StandardCharsets.ISO_8859_1);
        Matcher cid = CALL_ID.matcher(text);
        String callId = cid.find() ? cid.group(1) : null; // insuf.dat has none
        byte[] sent = withFreshBranch(message, text);
        answers.clear();
        udp.send(new DatagramPacket(sent, sent.length, InetAddress.getLoopbackAddress(), sipPort));

        int expected = EXPECTED.get(file);
        String answer = finalAnswer(callId, expected == NONE ? 1500 : 4000);
        if (answer != null) {
            acknowledge(text, answer);
        }
        if (file.equals("insuf.dat")) {
            assertThat(answer).as("%s: known deviation, %s", file, KNOWN_DEVIATIONS.get(file)).isNull();
        } else if (file.equals("inv2543.dat")) {
            assertThat(answer).as("%s: known deviation, %s", file, KNOWN_DEVIATIONS.get(file)).startsWith("SIP/2.0 400 ");
        } else if (expected == NONE) {
            assertThat(answer).as("%s must not be answered", file).isNull();
        } else if (expected == HANDLED) {
            assertThat(answer).as("%s must be answered", file).isNotNull();
            assertThat(answer).as("%s is valid: handled, not rejected as malformed", file)
                    .doesNotStartWith("SIP/2.0 400 ").doesNotStartWith("SIP/2.0 500 ");
        } else {
            assertThat(answer).as("%s must be answered", file).isNotNull();
            assertThat(answer).as(file).startsWith("SIP/2.0 " + expected + " ");
        }
        // the answer's status line is well formed (no parser debris in the reason phrase)
        if (answer != null) {
            assertThat(answer.lines().findFirst().orElseThrow()).matches("SIP/2\\.0 \\d{3} [\\x20-\\x7e\\u0080-\\uffff]*");
        }
        // whatever it was sent, the server still works
        assertThat(server.isRunning()).isTrue();
    }

    /**
     * Like any caller, ACKs a failure answer to an INVITE (RFC 3261 §17.1.1.3): the server's INVITE
     * transaction then ends instead of waiting 32 s, and the next message with the same branch is new.
     */
    private static void acknowledge(String request, String answer) throws IOException {
        List<String> lines = answer.lines().toList();
        String cseq = lines.stream().filter(l -> l.regionMatches(true, 0, "CSeq:", 0, 5)).findFirst().orElse("");
        if (!cseq.toUpperCase().endsWith("INVITE") || answer.startsWith("SIP/2.0 2")) {
            return;
        }
        String ruri = request.substring(0, request.indexOf("\r\n")).split(" ")[1];
        StringBuilder ack = new StringBuilder("ACK ").append(ruri).append(" SIP/2.0\r\n");
        for (String l : lines) {
            String name = l.contains(":") ? l.substring(0, l.indexOf(':')).strip().toLowerCase() : "";
            if (name.equals("via") || name.equals("v") || name.equals("from") || name.equals("f") || name.equals("to")
                    || name.equals("t") || name.equals("call-id") || name.equals("i")) {
                ack.append(l).append("\r\n");
            }
        }
        ack.append(cseq.replaceAll("(?i)INVITE$", "ACK")).append("\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n");
        byte[] bytes = ack.toString().getBytes(StandardCharsets.UTF_8);
        udp.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), sipPort));
    }

    /**
     * JAIN-SIP keys server transactions by the branch alone (RFC 3261 §17.2.3 adds sent-by and method),
     * so a second torture message reusing an earlier one's branch would be taken for its retransmission.
     * Such a message gets a suffix on that branch token, and nothing else changes.
     */
    private static byte[] withFreshBranch(byte[] message, String text) {
        Matcher b = BRANCH.matcher(text);
        if (!b.find()) {
            return message;
        }
        String branch = b.group(1);
        if (usedBranches.add(branch.toLowerCase())) {
            return message;
        }
        String fresh = branch + ".rfc4475-" + usedBranches.size();
        usedBranches.add(fresh.toLowerCase());
        String changed = text.substring(0, b.start(1)) + fresh + text.substring(b.end(1));
        return changed.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The first final (non-1xx) answer carrying this Call-ID within the time, or null. */
    private static String finalAnswer(String callId, long millis) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        byte[] buf = new byte[65536];
        while (System.currentTimeMillis() < deadline) {
            String a = answers.poll();
            if (a == null) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    udp.receive(p);
                    a = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
                } catch (SocketTimeoutException e) {
                    continue;
                }
            }
            Matcher m = CALL_ID.matcher(a);
            if (a.startsWith("SIP/2.0 ") && !a.startsWith("SIP/2.0 1") && (callId == null || m.find() && m.group(1).equals(callId))) {
                return a;
            }
        }
        return null;
    }
}

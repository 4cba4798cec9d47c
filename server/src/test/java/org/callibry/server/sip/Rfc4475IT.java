package org.callibry.server.sip;

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
import org.callibry.server.api.ApiTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The 49 RFC 4475 torture messages, each sent over UDP to the running server as it is (byte for
 * byte), each answered as its section says. They are read from the directory named by the system
 * property {@code callibry.testdata} ({@code .ci/run} sets it to {@code ../shared/testdata}); when the
 * property is set and the files are missing, the test fails.
 *
 * <p>The messages' Via headers name hosts like {@code host5.example.com} without a port and no
 * {@code rport}, so, as RFC 3261 §18.2.2 says, answers go to the source address and port 5060: the
 * test listens there (UDP, and TCP for the messages whose Via says TCP).
 */
class Rfc4475IT extends ApiTestSupport {
    /** Expected final answer per message; 0 = no answer (responses are never answered). */
    private static final Map<String, Integer> EXPECTED = Map.ofEntries(
            // 3.1.1 valid messages: parsed and handled; these are requests for domains we do not serve
            // (403 as a proxy refusing strangers) or OPTIONS to such domains
            Map.entry("wsinv.dat", 403), Map.entry("intmeth.dat", 501), Map.entry("esc01.dat", 403),
            Map.entry("escnull.dat", 403), Map.entry("esc02.dat", 501), Map.entry("lwsdisp.dat", 403),
            Map.entry("longreq.dat", 403), Map.entry("dblreq.dat", 403), Map.entry("semiuri.dat", 403),
            Map.entry("transports.dat", 403), Map.entry("mpart01.dat", 403), Map.entry("unreason.dat", 0),
            Map.entry("noreason.dat", 0),
            // 3.1.2 invalid messages: 400 (505 for the unknown version); responses are dropped
            Map.entry("badinv01.dat", 400), Map.entry("clerr.dat", 400), Map.entry("ncl.dat", 400),
            Map.entry("scalar02.dat", 400), Map.entry("scalarlg.dat", 0), Map.entry("quotbal.dat", 400),
            Map.entry("ltgtruri.dat", 400), Map.entry("lwsruri.dat", 400), Map.entry("lwsstart.dat", 400),
            Map.entry("trws.dat", 400), Map.entry("escruri.dat", 400), Map.entry("baddate.dat", 400),
            Map.entry("regbadct.dat", 400), Map.entry("badaspec.dat", 400), Map.entry("baddn.dat", 400),
            Map.entry("badvers.dat", 505), Map.entry("mismatch01.dat", 400), Map.entry("mismatch02.dat", 400),
            Map.entry("bigcode.dat", 0),
            // 3.2 transaction layer
            Map.entry("badbranch.dat", 403),
            // 3.3 application layer
            Map.entry("insuf.dat", 400), Map.entry("unkscm.dat", 416), Map.entry("novelsc.dat", 416),
            Map.entry("unksm2.dat", 400), Map.entry("bext01.dat", 420), Map.entry("invut.dat", 403),
            Map.entry("regaut01.dat", 403), Map.entry("multi01.dat", 400), Map.entry("mcl01.dat", 400),
            Map.entry("bcast.dat", 0), Map.entry("zeromf.dat", 483), Map.entry("cparam01.dat", 403),
            Map.entry("cparam02.dat", 403), Map.entry("regescrt.dat", 400), Map.entry("sdp01.dat", 403),
            // 3.4 backward compatibility: an RFC 2543 request is handled like any other
            Map.entry("inv2543.dat", 403));

    private static DatagramSocket udp;
    private static ServerSocket tcp;
    private static final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    private static Thread tcpReader;

    static Path dir() {
        String root = System.getProperty("callibry.testdata");
        Path d = root == null || root.isBlank() ? Path.of("../../shared/testdata") : Path.of(root);
        return d.resolve("rfc4475");
    }

    static Stream<Arguments> messages() throws IOException {
        Path index = dir().resolve("INDEX.tsv");
        assertThat(index).as("RFC 4475 messages (system property callibry.testdata)").exists();
        List<Arguments> out = new ArrayList<>();
        for (String line : Files.readAllLines(index)) {
            String[] f = line.split("\t");
            if (f.length == 3 && !f[0].equals("section")) {
                out.add(Arguments.of(f[0], f[1], f[2]));
            }
        }
        return out.stream();
    }

    @BeforeAll
    static void listenWhereAnswersGo() throws IOException {
        udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 5060));
        udp.setSoTimeout(100);
        tcp = new ServerSocket(5060, 50, InetAddress.getLoopbackAddress());
        tcpReader = Thread.ofVirtual().start(() -> {
            while (!tcp.isClosed()) {
                try (Socket s = tcp.accept(); InputStream in = s.getInputStream()) {
                    s.setSoTimeout(2000);
                    byte[] buf = new byte[65536];
                    int n = in.read(buf);
                    if (n > 0) {
                        answers.add(new String(buf, 0, n, StandardCharsets.UTF_8));
                    }
                } catch (IOException e) {
                    // closed or timed out
                }
            }
        });
    }

    @AfterAll
    static void close() throws IOException {
        udp.close();
        tcp.close();
    }

    @Test
    void everyMessageOfTheIndexHasAnExpectation() throws IOException {
        assertThat(messages().map(a -> (String) a.get()[1]).toList()).hasSize(49).allMatch(EXPECTED::containsKey);
    }

    @ParameterizedTest(name = "{0} {1} ({2})")
    @MethodSource("messages")
    void answeredAsTheRfcSays(String section, String file, String kind) throws Exception {
        byte[] message = Files.readAllBytes(dir().resolve(file));
        drain();
        try (DatagramSocket sender = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            sender.send(new DatagramPacket(message, message.length, InetAddress.getLoopbackAddress(), SIP_PORT));
        }
        int expected = EXPECTED.get(file);
        String answer = firstFinal(expected == 0 ? 1500 : 5000);
        if (expected == 0) {
            assertThat(answer).as("%s must not be answered", file).isNull();
        } else {
            assertThat(answer).as("%s must be answered", file).isNotNull();
            assertThat(answer).as(file).startsWith("SIP/2.0 " + expected + " ");
        }
        // whatever it was sent, the server still works
        assertThat(admin().version().name()).isEqualTo("Callibry");
    }

    /** The first final (non-1xx) answer arriving within the time, or null. */
    private static String firstFinal(long millis) throws IOException, InterruptedException {
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
            if (a.startsWith("SIP/2.0 ") && !a.startsWith("SIP/2.0 1")) {
                return a;
            }
        }
        return null;
    }

    private static void drain() throws IOException, InterruptedException {
        answers.clear();
        byte[] buf = new byte[65536];
        while (true) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                udp.receive(p);
            } catch (SocketTimeoutException e) {
                return;
            }
        }
    }

}

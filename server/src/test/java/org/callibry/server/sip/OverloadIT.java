package org.callibry.server.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.callibry.server.CallibryServer;
import org.callibry.server.testing.FreePorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A flood at three times the configured capacity ({@code callibry.sip.max-requests-per-second}) is shed
 * with 503 and Retry-After rather than queued, every request still gets an answer, and the server
 * answers normally as soon as the flood stops.
 */
class OverloadIT {
    private static final int CAPACITY = 100;
    private static ConfigurableApplicationContext server;
    private static int sipPort;

    @BeforeAll
    static void start(@TempDir Path data) {
        sipPort = FreePorts.udpAndTcp();
        server = SpringApplication.run(CallibryServer.class, "--server.port=0", "--callibry.data-dir=" + data,
                "--callibry.sip.bind-address=127.0.0.1", "--callibry.media.bind-address=127.0.0.1", "--callibry.media.node.ng-address=127.0.0.1:0", "--callibry.media.stun.port=0", "--callibry.media.node.heartbeat-port=0", "--callibry.media.sip-port=" + org.callibry.server.testing.FreePorts.udpAndTcp(), "--callibry.sip.tls-port=" + org.callibry.server.testing.FreePorts.udpAndTcp(), "--callibry.sip.port=" + sipPort,
                "--callibry.sip.max-requests-per-second=" + CAPACITY, "--callibry.admin.password=overload-admin");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private record Counts(int ok, int shed, int shedWithRetryAfter, int other, int unanswered) {
    }

    /** Sends {@code total} OPTIONS to the server at {@code perSecond} and counts the answers. */
    private static Counts send(int total, int perSecond) throws Exception {
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger shed = new AtomicInteger();
        AtomicInteger retryAfter = new AtomicInteger();
        AtomicInteger other = new AtomicInteger();
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout(200);
            int port = socket.getLocalPort();
            Thread receiver = Thread.ofVirtual().start(() -> {
                byte[] buf = new byte[8192];
                long quietSince = System.currentTimeMillis();
                while (System.currentTimeMillis() - quietSince < 3_000) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    try {
                        socket.receive(p);
                        quietSince = System.currentTimeMillis();
                        String a = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
                        if (a.startsWith("SIP/2.0 200 ")) {
                            ok.incrementAndGet();
                        } else if (a.startsWith("SIP/2.0 503 ")) {
                            shed.incrementAndGet();
                            if (a.contains("\nRetry-After: ")) {
                                retryAfter.incrementAndGet();
                            }
                        } else {
                            other.incrementAndGet();
                        }
                    } catch (SocketTimeoutException e) {
                        // keep waiting until quiet
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            });
            long start = System.nanoTime();
            for (int i = 0; i < total; i++) {
                long due = start + i * 1_000_000_000L / perSecond;
                while (System.nanoTime() < due) {
                    Thread.onSpinWait();
                }
                String id = "ovl-" + System.nanoTime() + "-" + i;
                String options = "OPTIONS sip:127.0.0.1:" + sipPort + " SIP/2.0\r\n"
                        + "Via: SIP/2.0/UDP 127.0.0.1:" + port + ";branch=z9hG4bK" + id + "\r\n"
                        + "Max-Forwards: 70\r\nFrom: <sip:probe@127.0.0.1>;tag=" + i + "\r\nTo: <sip:127.0.0.1>\r\n"
                        + "Call-ID: " + id + "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
                byte[] bytes = options.getBytes(StandardCharsets.US_ASCII);
                socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), sipPort));
            }
            receiver.join();
        }
        int answered = ok.get() + shed.get() + other.get();
        return new Counts(ok.get(), shed.get(), retryAfter.get(), other.get(), total - answered);
    }

    @Test
    void aFloodAtThreeTimesCapacityIsShedAndTheServerRecovers() throws Exception {
        Counts flood = send(3 * CAPACITY * 3, 3 * CAPACITY); // three seconds at 3x
        assertThat(flood.unanswered()).as("every request answered: %s", flood).isZero();
        assertThat(flood.shed()).as("the excess is shed: %s", flood).isGreaterThan(CAPACITY * 3);
        assertThat(flood.shedWithRetryAfter()).as("503s say when to retry").isEqualTo(flood.shed());
        assertThat(flood.ok()).as("capacity is still served: %s", flood).isGreaterThanOrEqualTo(CAPACITY * 2);

        Thread.sleep(1_100);
        Counts after = send(50, 25);
        assertThat(after.ok()).as("after the flood: %s", after).isEqualTo(50);
    }
}

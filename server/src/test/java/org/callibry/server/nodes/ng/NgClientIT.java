package org.callibry.server.nodes.ng;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The ng client against a fake ng responder on a real loopback socket. Scenarios: ping/pong; the
 * reply is matched by cookie among 200 concurrent commands answered out of order; a lost command is
 * sent again and the reply to any send completes it; no reply: timeout after the configured time
 * with the configured number of sends; {@code result: error} becomes an exception with error-reason;
 * a malformed reply fails the command; a reply from another address is ignored.
 */
class NgClientIT {
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    /** A UDP ng responder: gets the cookie and the decoded dictionary, returns the reply bytes or null (drop). */
    private final class FakeNg implements AutoCloseable {
        final DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        final AtomicInteger received = new AtomicInteger();
        final Map<String, AtomicInteger> sendsPerCookie = new ConcurrentHashMap<>();

        FakeNg(Function<Object[], byte[]> answer) throws IOException {
            closing.add(this);
            Thread.ofPlatform().daemon().start(() -> {
                byte[] buf = new byte[65535];
                while (!socket.isClosed()) {
                    try {
                        DatagramPacket p = new DatagramPacket(buf, buf.length);
                        socket.receive(p);
                        received.incrementAndGet();
                        String text = new String(buf, 0, p.getLength(), ISO_8859_1);
                        int space = text.indexOf(' ');
                        String cookie = text.substring(0, space);
                        sendsPerCookie.computeIfAbsent(cookie, c -> new AtomicInteger()).incrementAndGet();
                        Map<String, Object> dict = Bencode.decodeDictionary(buf, space + 1, p.getLength() - space - 1);
                        byte[] reply = answer.apply(new Object[] {cookie, dict});
                        if (reply != null) {
                            socket.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
                        }
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        InetSocketAddress address() {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    private static byte[] reply(String cookie, Map<String, Object> dict) {
        byte[] body = Bencode.encode(dict);
        byte[] c = (cookie + " ").getBytes(ISO_8859_1);
        byte[] out = new byte[c.length + body.length];
        System.arraycopy(c, 0, out, 0, c.length);
        System.arraycopy(body, 0, out, c.length, body.length);
        return out;
    }

    private NgClient client(Duration timeout, Duration retransmit, int tries) throws Exception {
        NgClient c = new NgClient(new InetSocketAddress("127.0.0.1", 0), timeout, retransmit, tries);
        closing.add(c);
        return c;
    }

    @Test
    void pingGetsPong() throws Exception {
        FakeNg ng = new FakeNg(in -> reply((String) in[0], Map.of("result", "pong")));
        Map<String, Object> r = client(Duration.ofSeconds(1), Duration.ofMillis(300), 3)
                .command(ng.address(), Map.of("command", "ping"));
        assertThat(Bencode.string(r.get("result"))).isEqualTo("pong");
        assertThat(ng.received.get()).isEqualTo(1);
    }

    @Test
    void matchesRepliesByCookieAmongManyConcurrentCommands() throws Exception {
        List<Object[]> held = new ArrayList<>();
        FakeNg[] box = new FakeNg[1];
        // holds every command and answers them all in reverse order once 200 are in
        box[0] = new FakeNg(in -> {
            synchronized (held) {
                held.add(in);
                if (held.size() == 200) {
                    for (int i = held.size() - 1; i >= 0; i--) {
                        Object[] h = held.get(i);
                        @SuppressWarnings("unchecked")
                        Map<String, Object> d = (Map<String, Object>) h[1];
                        byte[] r = reply((String) h[0], Map.of("result", "ok", "echo", d.get("call-id")));
                        try {
                            box[0].socket.send(new DatagramPacket(r, r.length, clientAddress[0]));
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }
            }
            return null;
        });
        NgClient client = client(Duration.ofSeconds(5), Duration.ofSeconds(4), 1);
        clientAddress[0] = new InetSocketAddress("127.0.0.1", client.localPort());
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Map<String, Object>>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String callId = "call-" + i;
                results.add(pool.submit(() -> client.command(box[0].address(), Map.of("command", "query", "call-id", callId))));
            }
            for (int i = 0; i < 200; i++) {
                assertThat(Bencode.string(results.get(i).get().get("echo"))).isEqualTo("call-" + i);
            }
        }
    }

    private final InetSocketAddress[] clientAddress = new InetSocketAddress[1];

    @Test
    void sendsALostCommandAgain() throws Exception {
        FakeNg ng = new FakeNg(in -> ngSends((String) in[0]) < 3 ? null : reply((String) in[0], Map.of("result", "ok")));
        fake = ng;
        long start = System.nanoTime();
        Map<String, Object> r = client(Duration.ofSeconds(2), Duration.ofMillis(100), 3)
                .command(ng.address(), Map.of("command", "offer"));
        assertThat(Bencode.string(r.get("result"))).isEqualTo("ok");
        assertThat(ng.received.get()).isEqualTo(3);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(190), Duration.ofMillis(1500));
        assertThat(ng.sendsPerCookie).as("every send carries the same cookie").hasSize(1);
    }

    private FakeNg fake;

    private int ngSends(String cookie) {
        return fake.sendsPerCookie.get(cookie).get();
    }

    @Test
    void timesOutAfterTheConfiguredTriesAndTime() throws Exception {
        FakeNg ng = new FakeNg(in -> null);
        NgClient client = client(Duration.ofSeconds(1), Duration.ofMillis(300), 3);
        long start = System.nanoTime();
        assertThatThrownBy(() -> client.command(ng.address(), Map.of("command", "ping"), Duration.ofMillis(1000)))
                .isInstanceOfSatisfying(NgClient.NgException.class, e -> {
                    assertThat(e.timeout()).isTrue();
                    assertThat(e.getMessage()).contains("no reply", "'ping'", "3 sends");
                });
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).isBetween(Duration.ofMillis(950), Duration.ofMillis(1500));
        assertThat(ng.received.get()).isEqualTo(3);
    }

    @Test
    void turnsAnErrorResultIntoAnException() throws Exception {
        FakeNg ng = new FakeNg(in -> reply((String) in[0], Map.of("result", "error", "error-reason", "Unknown call-id")));
        NgClient client = client(Duration.ofSeconds(1), Duration.ofMillis(300), 3);
        assertThatThrownBy(() -> client.command(ng.address(), Map.of("command", "delete", "call-id", "x")))
                .isInstanceOfSatisfying(NgClient.NgException.class, e -> {
                    assertThat(e.timeout()).isFalse();
                    assertThat(e.getMessage()).isEqualTo("Unknown call-id");
                });
    }

    @Test
    void failsOnAMalformedReply() throws Exception {
        FakeNg ng = new FakeNg(in -> (in[0] + " d6:result").getBytes(ISO_8859_1));
        NgClient client = client(Duration.ofSeconds(1), Duration.ofMillis(300), 3);
        assertThatThrownBy(() -> client.command(ng.address(), Map.of("command", "ping")))
                .isInstanceOf(NgClient.NgException.class).hasMessageContaining("malformed ng reply");
    }

    @Test
    void ignoresRepliesFromAnotherAddress() throws Exception {
        DatagramSocket other = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        closing.add(other);
        FakeNg ng = new FakeNg(in -> {
            byte[] r = reply((String) in[0], Map.of("result", "pong"));
            try {
                other.send(new DatagramPacket(r, r.length, clientAddress[0]));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return null;
        });
        NgClient client = client(Duration.ofMillis(500), Duration.ofMillis(200), 2);
        clientAddress[0] = new InetSocketAddress("127.0.0.1", client.localPort());
        Map<String, Object> ping = new LinkedHashMap<>();
        ping.put("command", "ping");
        assertThatThrownBy(() -> client.command(ng.address(), ping)).isInstanceOfSatisfying(NgClient.NgException.class,
                e -> assertThat(e.timeout()).isTrue());
    }
}

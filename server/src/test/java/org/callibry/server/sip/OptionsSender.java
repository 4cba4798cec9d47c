package org.callibry.server.sip;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/** Sends OPTIONS to a server over UDP from a socket of its own and counts the answers (the overload tests). */
final class OptionsSender {
    record Counts(int sent, int ok, int shed, int shedWithRetryAfter, int other, int unanswered) {
    }

    private OptionsSender() {
    }

    /** Sends {@code total} OPTIONS at {@code perSecond} (0: as fast as the socket takes them), then counts until 3 s are quiet. */
    static Counts send(int sipPort, int total, int perSecond) throws Exception {
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger shed = new AtomicInteger();
        AtomicInteger retryAfter = new AtomicInteger();
        AtomicInteger other = new AtomicInteger();
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout(200);
            socket.setReceiveBufferSize(4 << 20);
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
                if (perSecond > 0) {
                    long due = start + i * 1_000_000_000L / perSecond;
                    while (System.nanoTime() < due) {
                        if (due - System.nanoTime() > 2_000_000) {
                            Thread.sleep(1); // far ahead (a fast flood): leave the cores to the server
                        } else {
                            Thread.onSpinWait();
                        }
                    }
                }
                String id = "ovl-" + port + "-" + i;
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
        return new Counts(total, ok.get(), shed.get(), retryAfter.get(), other.get(), total - answered);
    }
}

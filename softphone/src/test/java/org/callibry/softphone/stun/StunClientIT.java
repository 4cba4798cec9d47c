package org.callibry.softphone.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.callibry.shared.stun.StunMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Scenarios against a tiny STUN responder on 127.0.0.1: the mapped address learnt, requests
 * retransmitted when the first ones are lost, a stranger's response ignored, an error response,
 * and a timeout when nobody answers.
 */
class StunClientIT {
    private static final Duration RTO = Duration.ofMillis(50);

    private Responder responder;

    @AfterEach
    void stop() {
        if (responder != null) {
            responder.close();
        }
    }

    @Test
    void learnsTheAddressTheServerSeesTheSocketFrom() throws Exception {
        responder = new Responder(0, Mode.ANSWER);
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            InetSocketAddress mapped = new StunClient(responder.address(), RTO, 3).discover(socket);
            assertThat(mapped).isEqualTo(socket.getLocalSocketAddress());
            assertThat(socket.getSoTimeout()).isZero();
        }
        assertThat(responder.requests.get()).isEqualTo(1);
    }

    @Test
    void anRtpSessionLearnsItsPublicAddressBeforeItStarts() throws Exception {
        responder = new Responder(0, Mode.ANSWER);
        try (org.callibry.softphone.audio.RtpSession session =
                     org.callibry.softphone.audio.RtpSession.bind(InetAddress.getLoopbackAddress(), 0)) {
            InetSocketAddress mapped = session.discoverPublicAddress(new StunClient(responder.address(), RTO, 3));
            assertThat(mapped.getPort()).isEqualTo(session.localPort());
        }
    }

    @Test
    void retransmitsWhenRequestsAreLost() throws Exception {
        responder = new Responder(2, Mode.ANSWER);
        InetSocketAddress mapped = new StunClient(responder.address(), RTO, 5).discover();
        assertThat(mapped.getAddress().isLoopbackAddress()).isTrue();
        assertThat(responder.requests.get()).isEqualTo(3);
    }

    @Test
    void ignoresAResponseToAnotherTransaction() throws Exception {
        responder = new Responder(0, Mode.STRANGER_FIRST);
        InetSocketAddress mapped = new StunClient(responder.address(), RTO, 3).discover();
        assertThat(mapped.getPort()).isPositive();
    }

    @Test
    void reportsAnErrorResponse() {
        responder = new Responder(0, Mode.ERROR);
        assertThatThrownBy(() -> new StunClient(responder.address(), RTO, 3).discover())
                .isInstanceOf(StunClient.StunException.class).hasMessageContaining("error 400");
    }

    @Test
    void timesOutWhenNobodyAnswers() {
        responder = new Responder(Integer.MAX_VALUE, Mode.ANSWER);
        long start = System.nanoTime();
        // 50 + 100 + 16 × 50 ms
        assertThatThrownBy(() -> new StunClient(responder.address(), RTO, 3).discover())
                .isInstanceOf(StunClient.StunException.class).hasMessageContaining("no answer");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(millis).isBetween(900L, 3000L);
        assertThat(responder.requests.get()).isEqualTo(3);
    }

    private enum Mode { ANSWER, STRANGER_FIRST, ERROR }

    /** Answers Binding requests with the sender's address, after ignoring the first {@code drop}. */
    private static final class Responder implements AutoCloseable {
        final AtomicInteger requests = new AtomicInteger();
        private final DatagramSocket socket;
        private final Thread thread;

        Responder(int drop, Mode mode) {
            try {
                socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            thread = Thread.ofPlatform().daemon().start(() -> {
                byte[] buf = new byte[1500];
                while (!socket.isClosed()) {
                    try {
                        DatagramPacket p = new DatagramPacket(buf, buf.length);
                        socket.receive(p);
                        StunMessage request = StunMessage.decode(p.getData(), 0, p.getLength());
                        if (requests.incrementAndGet() <= drop) {
                            continue;
                        }
                        InetSocketAddress from = (InetSocketAddress) p.getSocketAddress();
                        if (mode == Mode.STRANGER_FIRST) {
                            send(StunMessage.bindingSuccess(new byte[12], new InetSocketAddress(from.getAddress(), 9)).encode(), from);
                        }
                        byte[] answer = mode == Mode.ERROR
                                ? errorResponse(request.transactionId())
                                : StunMessage.bindingSuccess(request.transactionId(), from).encode();
                        send(answer, from);
                    } catch (IOException | RuntimeException e) {
                        // closed, or not STUN
                    }
                }
            });
        }

        private static byte[] errorResponse(byte[] id) {
            byte[] out = new byte[28];
            java.nio.ByteBuffer.wrap(out).putShort((short) StunMessage.BINDING_ERROR).putShort((short) 8)
                    .putInt(StunMessage.MAGIC_COOKIE).put(id).putShort((short) 0x0009).putShort((short) 4)
                    .putShort((short) 0).put((byte) 4).put((byte) 0);
            return out;
        }

        private void send(byte[] bytes, InetSocketAddress to) throws IOException {
            socket.send(new DatagramPacket(bytes, bytes.length, to));
        }

        InetSocketAddress address() {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }

        @Override
        public void close() {
            socket.close();
            try {
                thread.join(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

package org.callibry.softphone.stun;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import org.callibry.shared.stun.StunMessage;

/**
 * Asks a STUN server (RFC 5389) which public address and port a UDP socket is seen from, for the
 * SIP Contact and the SDP. Requests are retransmitted over UDP as §7.2.1 says: after RTO, then
 * doubling, {@code transmissions} times in all, and the last one is waited for 16 × RTO. Messages are
 * encoded and decoded by the codec the server uses too ({@link StunMessage} in {@code shared}).
 */
public final class StunClient {
    /** §7.2.1: Rc, the number of transmissions. */
    public static final int DEFAULT_TRANSMISSIONS = 7;
    /** §7.2.1: the initial RTO, 500 ms. */
    public static final Duration DEFAULT_RTO = Duration.ofMillis(500);
    private static final int LAST_WAIT_FACTOR = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The server did not answer, or answered with an error. */
    public static final class StunException extends IOException {
        public StunException(String message) {
            super(message);
        }
    }

    private final InetSocketAddress server;
    private final Duration rto;
    private final int transmissions;

    public StunClient(InetSocketAddress server) {
        this(server, DEFAULT_RTO, DEFAULT_TRANSMISSIONS);
    }

    /** A client with its own retransmission timing (short in tests, or to give up quickly in the UI). */
    public StunClient(InetSocketAddress server, Duration rto, int transmissions) {
        if (transmissions < 1) {
            throw new IllegalArgumentException("at least one transmission");
        }
        this.server = server;
        this.rto = rto;
        this.transmissions = transmissions;
    }

    /** The public address of a fresh ephemeral socket. */
    public InetSocketAddress discover() throws IOException {
        try (DatagramSocket socket = new DatagramSocket()) {
            return discover(socket);
        }
    }

    /**
     * The public address of {@code socket}. Nobody else may read the socket meanwhile (query before
     * the RTP session or SIP transport starts receiving on it); its timeout is restored afterwards.
     */
    public InetSocketAddress discover(DatagramSocket socket) throws IOException {
        byte[] id = new byte[12];
        RANDOM.nextBytes(id);
        byte[] request = StunMessage.bindingRequest(id).encode();
        int savedTimeout = socket.getSoTimeout();
        byte[] buf = new byte[1500];
        try {
            long wait = rto.toMillis();
            for (int sent = 1; sent <= transmissions; sent++) {
                socket.send(new DatagramPacket(request, request.length, server));
                long timeout = sent == transmissions ? rto.toMillis() * LAST_WAIT_FACTOR : wait;
                long deadline = System.nanoTime() + timeout * 1_000_000;
                Answer answer = await(socket, buf, id, deadline);
                if (answer != null) {
                    if (answer.type() == StunMessage.BINDING_SUCCESS && answer.mapped() != null) {
                        return answer.mapped();
                    }
                    throw new StunException("STUN server " + server + " answered "
                            + (answer.errorCode() != 0 ? "error " + answer.errorCode() : "without an address"));
                }
                wait *= 2;
            }
            throw new StunException("no answer from STUN server " + server + " after " + transmissions + " requests");
        } finally {
            socket.setSoTimeout(savedTimeout);
        }
    }

    /** What a response to our request said: its type, the mapped address (or null) and the error code (or 0). */
    private record Answer(int type, InetSocketAddress mapped, int errorCode) {
    }

    /** The response to transaction {@code id} before {@code deadline}, or null; anything else is ignored. */
    private Answer await(DatagramSocket socket, byte[] buf, byte[] id, long deadline) throws IOException {
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return null;
            }
            socket.setSoTimeout((int) Math.max(1, left));
            DatagramPacket packet = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                return null;
            }
            try {
                StunMessage m = StunMessage.decode(packet.getData(), packet.getOffset(), packet.getLength());
                // RFC 8489 §6.3 (RFC 5389 §7.3): the magic cookie is checked, and a response (C1 bit set)
                // must match a transaction in progress by its ID
                if (m.rfc5389() && Arrays.equals(m.transactionId(), id) && (m.type() & 0x0100) != 0) {
                    return new Answer(m.type(), m.mapped(), m.errorCode());
                }
            } catch (StunMessage.MalformedException | IllegalArgumentException e) {
                // not STUN, or an address or error code we cannot read: keep waiting
            }
        }
    }
}

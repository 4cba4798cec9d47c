package org.callibry.softphone.sip;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * A STUN Binding client (RFC 5389): asks a STUN server from a given UDP socket which address and
 * port it sees that socket as, so that SDP can carry the public address behind a NAT.
 */
public final class StunClient {
    static final int MAGIC_COOKIE = 0x2112A442;
    static final int BINDING_REQUEST = 0x0001;
    static final int BINDING_SUCCESS = 0x0101;
    static final int MAPPED_ADDRESS = 0x0001;
    static final int XOR_MAPPED_ADDRESS = 0x0020;
    private static final SecureRandom RANDOM = new SecureRandom();

    private StunClient() {
    }

    /**
     * The address {@code server} sees {@code socket} as; empty when no answer came within
     * {@code timeout}. Retransmits at 250 ms, doubling (RFC 5389 §7.2.1, with a shorter first RTO).
     * The socket's read timeout is restored afterwards.
     */
    public static Optional<InetSocketAddress> mappedAddress(DatagramSocket socket, InetSocketAddress server, Duration timeout)
            throws IOException {
        byte[] transaction = new byte[12];
        RANDOM.nextBytes(transaction);
        byte[] request = request(transaction);
        int previousTimeout = socket.getSoTimeout();
        long deadline = System.nanoTime() + timeout.toNanos();
        long rto = 250;
        byte[] buffer = new byte[1500];
        try {
            while (System.nanoTime() < deadline) {
                socket.send(new DatagramPacket(request, request.length, server));
                long waitUntil = Math.min(deadline, System.nanoTime() + rto * 1_000_000);
                rto *= 2;
                while (true) {
                    long left = (waitUntil - System.nanoTime()) / 1_000_000;
                    if (left <= 0) {
                        break;
                    }
                    socket.setSoTimeout((int) left);
                    DatagramPacket p = new DatagramPacket(buffer, buffer.length);
                    try {
                        socket.receive(p);
                    } catch (SocketTimeoutException e) {
                        break;
                    }
                    Optional<InetSocketAddress> mapped = decode(Arrays.copyOf(p.getData(), p.getLength()), transaction);
                    if (mapped.isPresent()) {
                        return mapped;
                    }
                }
            }
            return Optional.empty();
        } finally {
            socket.setSoTimeout(previousTimeout);
        }
    }

    /** A Binding request with no attributes (RFC 5389 §6). */
    static byte[] request(byte[] transaction) {
        ByteBuffer b = ByteBuffer.allocate(20);
        b.putShort((short) BINDING_REQUEST).putShort((short) 0).putInt(MAGIC_COOKIE).put(transaction);
        return b.array();
    }

    /**
     * The mapped address of a Binding success response to {@code transaction}: XOR-MAPPED-ADDRESS
     * (RFC 5389 §15.2), else MAPPED-ADDRESS (§15.1); empty for anything else or anything malformed.
     */
    static Optional<InetSocketAddress> decode(byte[] message, byte[] transaction) {
        if (message.length < 20) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(message);
        int type = b.getShort() & 0xffff;
        int length = b.getShort() & 0xffff;
        int cookie = b.getInt();
        byte[] tx = new byte[12];
        b.get(tx);
        if (type != BINDING_SUCCESS || cookie != MAGIC_COOKIE || !Arrays.equals(tx, transaction)
                || length != message.length - 20 || length % 4 != 0) {
            return Optional.empty();
        }
        InetSocketAddress plain = null;
        while (b.remaining() >= 4) {
            int attribute = b.getShort() & 0xffff;
            int size = b.getShort() & 0xffff;
            if (size > b.remaining()) {
                return Optional.empty();
            }
            byte[] value = new byte[size];
            b.get(value);
            b.position(Math.min(b.limit(), b.position() + (4 - size % 4) % 4)); // attributes are padded to 4 bytes
            if (attribute == XOR_MAPPED_ADDRESS) {
                InetSocketAddress a = address(value, true, transaction);
                if (a != null) {
                    return Optional.of(a);
                }
            } else if (attribute == MAPPED_ADDRESS) {
                plain = address(value, false, transaction);
            }
        }
        return Optional.ofNullable(plain);
    }

    private static InetSocketAddress address(byte[] value, boolean xor, byte[] transaction) {
        if (value.length < 8) {
            return null;
        }
        int family = value[1];
        int addressLength = family == 0x01 ? 4 : family == 0x02 ? 16 : -1;
        if (addressLength < 0 || value.length != 4 + addressLength) {
            return null;
        }
        int port = ((value[2] & 0xff) << 8) | (value[3] & 0xff);
        byte[] address = Arrays.copyOfRange(value, 4, 4 + addressLength);
        if (xor) {
            port ^= MAGIC_COOKIE >>> 16;
            byte[] mask = ByteBuffer.allocate(16).putInt(MAGIC_COOKIE).put(transaction).array();
            for (int i = 0; i < address.length; i++) {
                address[i] ^= mask[i];
            }
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(address), port);
        } catch (java.net.UnknownHostException impossible) {
            return null;
        }
    }
}

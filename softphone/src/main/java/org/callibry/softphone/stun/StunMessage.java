package org.callibry.softphone.stun;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The part of a STUN message (RFC 5389 §6) the softphone needs: Binding requests and responses with
 * their (XOR-)MAPPED-ADDRESS and ERROR-CODE. Unknown attributes are skipped; malformed messages are
 * refused with an {@link IllegalArgumentException}.
 *
 * @param type          the message type (method and class bits, §6)
 * @param transactionId 12 bytes
 * @param mapped        the XOR-MAPPED-ADDRESS (or, from an old server, MAPPED-ADDRESS), or null
 * @param errorCode     the ERROR-CODE number (e.g. 400), or 0
 */
public record StunMessage(int type, byte[] transactionId, InetSocketAddress mapped, int errorCode) {
    public static final int BINDING_REQUEST = 0x0001;
    public static final int BINDING_SUCCESS = 0x0101;
    public static final int BINDING_ERROR = 0x0111;
    /** RFC 5389 §6. */
    public static final int MAGIC_COOKIE = 0x2112A442;
    public static final int HEADER_LENGTH = 20;
    static final int MAPPED_ADDRESS = 0x0001;
    static final int ERROR_CODE = 0x0009;
    static final int XOR_MAPPED_ADDRESS = 0x0020;

    public StunMessage {
        if (transactionId.length != 12) {
            throw new IllegalArgumentException("a transaction ID has 12 bytes");
        }
        transactionId = transactionId.clone();
    }

    /** A Binding request without attributes. */
    public static StunMessage bindingRequest(byte[] transactionId) {
        return new StunMessage(BINDING_REQUEST, transactionId, null, 0);
    }

    /** A Binding success response telling the client {@code mapped}. */
    public static StunMessage bindingSuccess(byte[] transactionId, InetSocketAddress mapped) {
        return new StunMessage(BINDING_SUCCESS, transactionId, mapped, 0);
    }

    @Override
    public byte[] transactionId() {
        return transactionId.clone();
    }

    /** The message on the wire; a response carries XOR-MAPPED-ADDRESS when {@code mapped} is set. */
    public byte[] encode() {
        byte[] attribute = mapped == null ? new byte[0] : xorMappedAddress();
        ByteBuffer b = ByteBuffer.allocate(HEADER_LENGTH + attribute.length);
        b.putShort((short) type);
        b.putShort((short) attribute.length);
        b.putInt(MAGIC_COOKIE);
        b.put(transactionId);
        b.put(attribute);
        return b.array();
    }

    /** §15.2: the port XORed with the cookie's top half, the address with the cookie (and the ID for IPv6). */
    private byte[] xorMappedAddress() {
        byte[] address = mapped.getAddress().getAddress();
        ByteBuffer b = ByteBuffer.allocate(4 + 4 + address.length);
        b.putShort((short) XOR_MAPPED_ADDRESS);
        b.putShort((short) (4 + address.length));
        b.put((byte) 0);
        b.put((byte) (address.length == 4 ? 1 : 2));
        b.putShort((short) (mapped.getPort() ^ (MAGIC_COOKIE >>> 16)));
        b.put(xor(address));
        return b.array();
    }

    private byte[] xor(byte[] address) {
        byte[] key = new byte[16];
        ByteBuffer.wrap(key).putInt(MAGIC_COOKIE).put(transactionId);
        byte[] out = address.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] ^= key[i];
        }
        return out;
    }

    /** Decodes one STUN message of exactly {@code length} bytes. */
    public static StunMessage decode(byte[] buf, int offset, int length) {
        if (length < HEADER_LENGTH) {
            throw new IllegalArgumentException("shorter than a STUN header: " + length);
        }
        ByteBuffer b = ByteBuffer.wrap(buf, offset, length);
        int type = b.getShort() & 0xFFFF;
        // §6: the two most significant bits of every STUN message are zero
        if ((type & 0xC000) != 0) {
            throw new IllegalArgumentException("not STUN: top bits set");
        }
        int bodyLength = b.getShort() & 0xFFFF;
        if (b.getInt() != MAGIC_COOKIE) {
            throw new IllegalArgumentException("no magic cookie");
        }
        if (bodyLength % 4 != 0 || HEADER_LENGTH + bodyLength != length) {
            throw new IllegalArgumentException("bad message length " + bodyLength + " for " + length + " bytes");
        }
        byte[] id = new byte[12];
        b.get(id);
        StunMessage partial = new StunMessage(type, id, null, 0);
        InetSocketAddress xorMapped = null;
        InetSocketAddress plainMapped = null;
        int error = 0;
        while (b.remaining() >= 4) {
            int attrType = b.getShort() & 0xFFFF;
            int attrLength = b.getShort() & 0xFFFF;
            // §15: values are padded to a multiple of four bytes
            int padded = (attrLength + 3) & ~3;
            if (padded > b.remaining()) {
                throw new IllegalArgumentException("attribute 0x" + Integer.toHexString(attrType) + " overruns the message");
            }
            byte[] value = new byte[attrLength];
            b.get(value);
            b.position(b.position() + padded - attrLength);
            switch (attrType) {
                case XOR_MAPPED_ADDRESS -> xorMapped = partial.address(value, true);
                case MAPPED_ADDRESS -> plainMapped = partial.address(value, false);
                case ERROR_CODE -> error = errorCode(value);
                default -> {
                    // comprehension-optional or not needed by a client
                }
            }
        }
        if (b.remaining() != 0) {
            throw new IllegalArgumentException("trailing bytes after the attributes");
        }
        return new StunMessage(type, id, xorMapped != null ? xorMapped : plainMapped, error);
    }

    private InetSocketAddress address(byte[] value, boolean xored) {
        if (value.length < 8) {
            throw new IllegalArgumentException("address attribute too short");
        }
        int family = value[1] & 0xFF;
        int size = family == 1 ? 4 : family == 2 ? 16 : -1;
        if (size < 0 || value.length < 4 + size) {
            throw new IllegalArgumentException("bad address family " + family);
        }
        int port = ((value[2] & 0xFF) << 8) | (value[3] & 0xFF);
        byte[] address = Arrays.copyOfRange(value, 4, 4 + size);
        if (xored) {
            port ^= MAGIC_COOKIE >>> 16;
            address = xor(address);
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(address), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** §15.6: class (hundreds) in bits 8-10 of the third byte, number in the fourth. */
    private static int errorCode(byte[] value) {
        if (value.length < 4) {
            throw new IllegalArgumentException("ERROR-CODE too short");
        }
        return (value[2] & 0x07) * 100 + (value[3] & 0xFF);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StunMessage m && type == m.type && Arrays.equals(transactionId, m.transactionId)
                && java.util.Objects.equals(mapped, m.mapped) && errorCode == m.errorCode;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(transactionId);
    }

    @Override
    public String toString() {
        return "StunMessage[type=0x" + Integer.toHexString(type) + ", id=" + HexFormat.of().formatHex(transactionId)
                + ", mapped=" + mapped + (errorCode != 0 ? ", error=" + errorCode : "") + "]";
    }
}

package org.callibry.shared.stun;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32;

/**
 * One STUN message (RFC 8489 §5, formerly RFC 5389 §6) as it travels in a datagram: the 20-byte header
 * (type, length, magic cookie, transaction ID) and the attributes in wire order. {@link #decode} checks
 * the framing rules of §5 and §14 and the FINGERPRINT of §14.7; {@link #encode(boolean)} writes the
 * attributes with their padding and optionally appends a FINGERPRINT. Messages of RFC 3489 agents (no
 * magic cookie) are read too: their 128-bit transaction ID is the cookie field and the 12 bytes after
 * it, echoed unchanged. Attribute values are kept as bytes; the helpers below read and write the ones
 * Callibry uses (MAPPED-ADDRESS, XOR-MAPPED-ADDRESS, ERROR-CODE, UNKNOWN-ATTRIBUTES). Nothing here
 * knows about sockets, retransmission or how a server answers.
 */
public final class StunMessage {
    /** RFC 8489 §5 (RFC 5389 §6). */
    public static final int MAGIC_COOKIE = 0x2112A442;
    /** RFC 8489 §5: type, length, magic cookie and transaction ID. */
    public static final int HEADER_SIZE = 20;

    // The Binding method in its four classes (RFC 8489 §5, §18.2)
    public static final int BINDING_REQUEST = 0x0001;
    public static final int BINDING_INDICATION = 0x0011;
    public static final int BINDING_SUCCESS = 0x0101;
    public static final int BINDING_ERROR = 0x0111;

    /** Message classes (RFC 8489 §5, the C1 and C0 bits). */
    public static final int REQUEST = 0;
    public static final int INDICATION = 1;
    public static final int SUCCESS = 2;
    public static final int ERROR = 3;

    // Attribute types: RFC 8489 §18.3 (RFC 5389 §18.2) unless said otherwise
    public static final int MAPPED_ADDRESS = 0x0001;
    public static final int CHANGE_REQUEST = 0x0003; // RFC 5780 §7.2, from RFC 3489
    public static final int USERNAME = 0x0006;
    public static final int MESSAGE_INTEGRITY = 0x0008;
    public static final int ERROR_CODE = 0x0009;
    public static final int UNKNOWN_ATTRIBUTES = 0x000A;
    public static final int REALM = 0x0014;
    public static final int NONCE = 0x0015;
    public static final int XOR_MAPPED_ADDRESS = 0x0020;
    public static final int PRIORITY = 0x0024; // RFC 8445 §16.1
    public static final int USE_CANDIDATE = 0x0025;
    public static final int SOFTWARE = 0x8022;
    public static final int ALTERNATE_SERVER = 0x8023;
    public static final int FINGERPRINT = 0x8028;
    /** RFC 8489 §14.7 (RFC 5389 §15.5): the CRC-32 is XOR'ed with "STUN". */
    private static final int FINGERPRINT_XOR = 0x5354554e;

    private final int type;
    private final int cookie;
    private final byte[] transactionId;
    private final List<Attribute> attributes;
    private final boolean fingerprinted;

    /** One attribute: its type and its value without padding. */
    public record Attribute(int type, byte[] value) {
        /** RFC 8489 §14 (RFC 5389 §15): types 0x0000-0x7FFF must be understood, or the message is refused. */
        public boolean comprehensionRequired() {
            return type < 0x8000;
        }

        @Override
        public String toString() {
            return String.format("0x%04x[%d]", type, value.length);
        }
    }

    /**
     * @param cookie        {@link #MAGIC_COOKIE}, or the first 32 bits of an RFC 3489 transaction ID
     * @param transactionId the 96 bits after the cookie
     */
    public StunMessage(int type, int cookie, byte[] transactionId, List<Attribute> attributes) {
        this(type, cookie, transactionId, attributes, false);
    }

    private StunMessage(int type, int cookie, byte[] transactionId, List<Attribute> attributes, boolean fingerprinted) {
        // RFC 8489 §5: the two most significant bits of every STUN message are zero
        if ((type & 0xC000) != 0) {
            throw new IllegalArgumentException("STUN message type has its two top bits set: " + type);
        }
        if (transactionId.length != 12) {
            throw new IllegalArgumentException("STUN transaction ID is 96 bits");
        }
        this.type = type;
        this.cookie = cookie;
        this.transactionId = transactionId.clone();
        this.attributes = List.copyOf(attributes);
        this.fingerprinted = fingerprinted;
    }

    /** A Binding request without attributes (RFC 8489 §6.1). */
    public static StunMessage bindingRequest(byte[] transactionId) {
        return new StunMessage(BINDING_REQUEST, MAGIC_COOKIE, transactionId, List.of());
    }

    /** A Binding success response telling the client {@code mapped} in an XOR-MAPPED-ADDRESS (RFC 8489 §14.2). */
    public static StunMessage bindingSuccess(byte[] transactionId, InetSocketAddress mapped) {
        return new StunMessage(BINDING_SUCCESS, MAGIC_COOKIE, transactionId,
                List.of(new Attribute(XOR_MAPPED_ADDRESS, xorMappedAddress(mapped, MAGIC_COOKIE, transactionId))));
    }

    public int type() {
        return type;
    }

    /** RFC 8489 §5: the method bits M0-M11 (Binding is 1). */
    public int method() {
        return (type & 0x000F) | ((type & 0x00E0) >> 1) | ((type & 0x3E00) >> 2);
    }

    /** {@link #REQUEST}, {@link #INDICATION}, {@link #SUCCESS} or {@link #ERROR}. */
    public int messageClass() {
        return ((type & 0x0010) >> 4) | ((type & 0x0100) >> 7);
    }

    public int cookie() {
        return cookie;
    }

    /** The sender speaks RFC 5389 or later (the magic cookie is present), not only RFC 3489. */
    public boolean rfc5389() {
        return cookie == MAGIC_COOKIE;
    }

    public byte[] transactionId() {
        return transactionId.clone();
    }

    public List<Attribute> attributes() {
        return attributes;
    }

    /** The message arrived with a (valid) FINGERPRINT attribute. */
    public boolean fingerprinted() {
        return fingerprinted;
    }

    /** The first attribute of that type, or null. */
    public Attribute attribute(int attributeType) {
        for (Attribute a : attributes) {
            if (a.type() == attributeType) {
                return a;
            }
        }
        return null;
    }

    /**
     * The address the responder saw the request come from: XOR-MAPPED-ADDRESS (RFC 8489 §14.2), else the
     * MAPPED-ADDRESS an RFC 3489 server sends instead (§14.1, §11), else null.
     *
     * @throws IllegalArgumentException when the attribute is not a readable address
     */
    public InetSocketAddress mapped() {
        Attribute xored = attribute(XOR_MAPPED_ADDRESS);
        if (xored != null) {
            return xorMappedAddress(xored.value());
        }
        Attribute plain = attribute(MAPPED_ADDRESS);
        return plain == null ? null : mappedAddress(plain.value());
    }

    /**
     * The number of the ERROR-CODE attribute (e.g. 420), or 0 when there is none.
     *
     * @throws IllegalArgumentException when the attribute is too short to hold a code
     */
    public int errorCode() {
        Attribute error = attribute(ERROR_CODE);
        return error == null ? 0 : errorCode(error.value());
    }

    // ---- decoding ----

    /**
     * A datagram that cannot be a STUN message, or one that breaks the rules of RFC 8489 §5/§14. It is an
     * {@link IOException} like {@link java.io.StreamCorruptedException}: the bytes that came in are bad.
     * {@link #header()} is the readable header when the datagram was at least that long (so that a server
     * can answer 400 to a broken request carrying the magic cookie), else null.
     */
    public static final class MalformedException extends IOException {
        private final transient StunMessage header;

        MalformedException(String message, StunMessage header) {
            super(message);
            this.header = header;
        }

        public StunMessage header() {
            return header;
        }
    }

    /** RFC 8489 §6.3 first checks: long enough for a header, and the two top bits of the type are zero. */
    public static boolean looksLikeStun(byte[] buf, int off, int len) {
        return len >= HEADER_SIZE && (buf[off] & 0xC0) == 0;
    }

    /** Decodes one message filling {@code buf[off, off + len)}. */
    public static StunMessage decode(byte[] buf, int off, int len) throws MalformedException {
        if (len < HEADER_SIZE) {
            throw new MalformedException("shorter than a STUN header: " + len + " bytes", null);
        }
        if (!looksLikeStun(buf, off, len)) {
            // RFC 8489 §5: RTP, RTCP and everything else multiplexed on the port have a top bit set
            throw new MalformedException("not STUN: the top bits of the type are not zero", null);
        }
        ByteBuffer b = ByteBuffer.wrap(buf, off, len);
        int type = b.getShort() & 0xFFFF;
        int length = b.getShort() & 0xFFFF;
        int cookie = b.getInt();
        byte[] tid = new byte[12];
        b.get(tid);
        StunMessage header = new StunMessage(type, cookie, tid, List.of());
        // RFC 8489 §5: the length excludes the header and is a multiple of 4 (all attributes are padded)
        if (length != len - HEADER_SIZE) {
            throw new MalformedException("length field " + length + " but " + (len - HEADER_SIZE) + " bytes follow the header",
                    header);
        }
        if ((length & 3) != 0) {
            throw new MalformedException("length " + length + " is not a multiple of 4", header);
        }
        List<Attribute> attributes = new ArrayList<>();
        boolean fingerprinted = false;
        while (b.hasRemaining()) {
            int at = b.position() - off;
            if (b.remaining() < 4) {
                throw new MalformedException("truncated attribute header at offset " + at, header);
            }
            int attrType = b.getShort() & 0xFFFF;
            int attrLength = b.getShort() & 0xFFFF;
            // RFC 8489 §14: the value is padded to a multiple of 4 bytes; the length excludes the padding
            int padded = (attrLength + 3) & ~3;
            if (padded > b.remaining()) {
                throw new MalformedException(String.format("attribute 0x%04x at offset %d: length %d runs past the end",
                        attrType, at, attrLength), header);
            }
            byte[] value = new byte[attrLength];
            b.get(value);
            b.position(b.position() + padded - attrLength);
            if (attrType == FINGERPRINT) {
                // RFC 8489 §14.7: the last attribute, CRC-32 of everything before it XOR 0x5354554e
                if (b.hasRemaining()) {
                    throw new MalformedException("FINGERPRINT is not the last attribute", header);
                }
                if (attrLength != 4) {
                    throw new MalformedException("FINGERPRINT of " + attrLength + " bytes", header);
                }
                int expected = crc(buf, off, at);
                if (ByteBuffer.wrap(value).getInt() != expected) {
                    // RFC 8489 §7: a wrong FINGERPRINT means the datagram is not STUN at all: no header to answer
                    throw new MalformedException("FINGERPRINT does not match", null);
                }
                fingerprinted = true;
            }
            attributes.add(new Attribute(attrType, value));
        }
        return new StunMessage(type, cookie, tid, attributes, fingerprinted);
    }

    private static int crc(byte[] buf, int off, int len) {
        CRC32 crc = new CRC32();
        crc.update(buf, off, len);
        return (int) crc.getValue() ^ FINGERPRINT_XOR;
    }

    // ---- encoding ----

    /** The message on the wire, attributes padded with zeros, without FINGERPRINT. */
    public byte[] encode() {
        return encode(false);
    }

    /** The message on the wire, attributes padded with zeros; with {@code fingerprint} a FINGERPRINT last. */
    public byte[] encode(boolean fingerprint) {
        return encode(fingerprint, (byte) 0);
    }

    /** RFC 8489 §14: padding bytes may hold any value and are ignored (RFC 5769 uses spaces). */
    byte[] encode(boolean fingerprint, byte padding) {
        int length = 0;
        for (Attribute a : attributes) {
            length += 4 + ((a.value().length + 3) & ~3);
        }
        if (fingerprint) {
            length += 8;
        }
        if (length > 0xFFFF) {
            throw new IllegalStateException("STUN message too long: " + length);
        }
        ByteBuffer b = ByteBuffer.allocate(HEADER_SIZE + length);
        b.putShort((short) type).putShort((short) length).putInt(cookie).put(transactionId);
        for (Attribute a : attributes) {
            b.putShort((short) a.type()).putShort((short) a.value().length).put(a.value());
            for (int i = a.value().length; (i & 3) != 0; i++) {
                b.put(padding);
            }
        }
        if (fingerprint) {
            // RFC 8489 §14.7: the length field already counts the FINGERPRINT when the CRC is taken
            int crc = crc(b.array(), 0, b.position());
            b.putShort((short) FINGERPRINT).putShort((short) 4).putInt(crc);
        }
        return b.array();
    }

    // ---- attribute values ----

    /**
     * RFC 8489 §14.2: XOR-MAPPED-ADDRESS of {@code address} in a message with this cookie and transaction
     * ID (the port XOR'ed with the cookie's top half, an IPv4 address with the cookie, an IPv6 address
     * with the cookie and the transaction ID).
     */
    public static byte[] xorMappedAddress(InetSocketAddress address, int cookie, byte[] transactionId) {
        byte[] ip = address.getAddress().getAddress();
        byte[] mask = ByteBuffer.allocate(16).putInt(cookie).put(transactionId).array();
        ByteBuffer b = ByteBuffer.allocate(4 + ip.length);
        b.put((byte) 0).put((byte) (ip.length == 4 ? 1 : 2)).putShort((short) (address.getPort() ^ (cookie >>> 16)));
        for (int i = 0; i < ip.length; i++) {
            b.put((byte) (ip[i] ^ mask[i]));
        }
        return b.array();
    }

    /** The address an XOR-MAPPED-ADDRESS value of this message stands for (RFC 8489 §14.2). */
    public InetSocketAddress xorMappedAddress(byte[] value) {
        byte[] mask = ByteBuffer.allocate(16).putInt(cookie).put(transactionId).array();
        InetSocketAddress plain = mappedAddress(value);
        byte[] ip = plain.getAddress().getAddress();
        for (int i = 0; i < ip.length; i++) {
            ip[i] ^= mask[i];
        }
        return new InetSocketAddress(address(ip), plain.getPort() ^ (cookie >>> 16));
    }

    /** RFC 8489 §14.1: MAPPED-ADDRESS (family 1 = IPv4, 2 = IPv6). */
    public static byte[] mappedAddress(InetSocketAddress address) {
        byte[] ip = address.getAddress().getAddress();
        return ByteBuffer.allocate(4 + ip.length).put((byte) 0).put((byte) (ip.length == 4 ? 1 : 2))
                .putShort((short) address.getPort()).put(ip).array();
    }

    /** Reads a MAPPED-ADDRESS value (RFC 8489 §14.1); throws {@link IllegalArgumentException} when it is not one. */
    public static InetSocketAddress mappedAddress(byte[] value) {
        if (value.length < 4) {
            throw new IllegalArgumentException("address attribute of " + value.length + " bytes");
        }
        int family = value[1];
        int expected = family == 1 ? 8 : family == 2 ? 20 : -1;
        if (value.length != expected) {
            throw new IllegalArgumentException("address attribute: family " + family + " with " + value.length + " bytes");
        }
        int port = ((value[2] & 0xFF) << 8) | (value[3] & 0xFF);
        return new InetSocketAddress(address(Arrays.copyOfRange(value, 4, value.length)), port);
    }

    private static InetAddress address(byte[] ip) {
        try {
            // Inet6Address.getByAddress keeps an IPv4-mapped IPv6 address as it is; InetAddress's would not
            return ip.length == 16 ? Inet6Address.getByAddress(null, ip, null) : Inet4Address.getByAddress(ip);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** RFC 8489 §14.8: ERROR-CODE, class (hundreds) and number of {@code code} and a reason phrase. */
    public static byte[] errorCode(int code, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + text.length).putShort((short) 0).put((byte) (code / 100)).put((byte) (code % 100))
                .put(text).array();
    }

    /** The number of an ERROR-CODE value (e.g. 420): class in the low 3 bits of the third byte, number in the fourth. */
    public static int errorCode(byte[] value) {
        if (value.length < 4) {
            throw new IllegalArgumentException("ERROR-CODE of " + value.length + " bytes");
        }
        return (value[2] & 0x07) * 100 + (value[3] & 0xFF);
    }

    /** RFC 8489 §14.13: UNKNOWN-ATTRIBUTES, 16-bit types. */
    public static byte[] unknownAttributes(List<Integer> types) {
        ByteBuffer b = ByteBuffer.allocate(2 * types.size());
        types.forEach(t -> b.putShort(t.shortValue()));
        return b.array();
    }

    @Override
    public String toString() {
        return String.format("STUN type=0x%04x cookie=%s id=%s attributes=%s", type, rfc5389() ? "magic" : "none",
                HexFormat.of().formatHex(transactionId), attributes);
    }
}

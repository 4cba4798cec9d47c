package org.callibry.server.nodes.ng;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bencoding (BitTorrent BEP 3), the body encoding of the rtpengine "ng" control protocol and of the
 * media-node heartbeat: integers {@code i42e}, byte strings {@code 4:spam}, lists {@code l...e} and
 * dictionaries {@code d...e} whose keys are byte strings, written in sorted (raw byte) order.
 * <p>
 * Decoding returns {@link Long}, {@code byte[]}, {@code List<Object>} and {@code Map<String, Object>}
 * (a {@link LinkedHashMap} in wire order; keys read as UTF-8). The decoder accepts unsorted keys
 * (rtpengine writes them in insertion order) but refuses duplicates, leading zeros, {@code -0},
 * integers beyond 64 bits, nesting deeper than {@link #MAX_DEPTH}, and trailing bytes.
 */
public final class Bencode {
    /** Deepest nesting of lists and dictionaries the decoder follows (a guard against stack exhaustion). */
    public static final int MAX_DEPTH = 32;
    /** Longest integer literal: 19 digits and a sign cover every long. */
    private static final int MAX_INT_DIGITS = 20;

    private Bencode() {
    }

    /** The input is not one well-formed bencoded value; the message names the byte offset. */
    public static final class MalformedException extends IllegalArgumentException {
        private final int offset;

        MalformedException(String message, int offset) {
            super(message + " at offset " + offset);
            this.offset = offset;
        }

        /** Offset of the offending byte in the buffer given to {@link #decode}. */
        public int offset() {
            return offset;
        }
    }

    // ---- encoding ----

    /**
     * Encodes a {@link Long}/{@link Integer}/{@link Short}/{@link Byte}, {@code byte[]}, {@link String}
     * (as UTF-8), {@link List} (any {@link Collection}) or {@code Map<String, ?>} (keys sorted), nested
     * freely. Anything else (null, Boolean, Double, non-string keys) is an {@link IllegalArgumentException}.
     */
    public static byte[] encode(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        write(out, value, 0);
        return out.toByteArray();
    }

    /** {@link #encode} as text (ISO-8859-1, one char per byte): handy for logs and tests. */
    public static String encodeToString(Object value) {
        return new String(encode(value), StandardCharsets.ISO_8859_1);
    }

    private static void write(ByteArrayOutputStream out, Object value, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("bencode: nesting deeper than " + MAX_DEPTH);
        }
        switch (value) {
            case Long l -> writeInt(out, l);
            case Integer i -> writeInt(out, i);
            case Short s -> writeInt(out, s);
            case Byte b -> writeInt(out, b);
            case byte[] bytes -> writeBytes(out, bytes);
            case String s -> writeBytes(out, s.getBytes(StandardCharsets.UTF_8));
            case Collection<?> list -> {
                out.write('l');
                for (Object item : list) {
                    write(out, item, depth + 1);
                }
                out.write('e');
            }
            case Map<?, ?> map -> {
                List<byte[]> keys = new ArrayList<>(map.size());
                Map<String, Object> byKey = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (!(e.getKey() instanceof String key)) {
                        throw new IllegalArgumentException("bencode: dictionary key is not a String: " + e.getKey());
                    }
                    keys.add(key.getBytes(StandardCharsets.UTF_8));
                    byKey.put(key, e.getValue());
                }
                // BEP 3: keys sorted as raw strings, not alphanumerics
                keys.sort(Arrays::compareUnsigned);
                out.write('d');
                for (byte[] key : keys) {
                    writeBytes(out, key);
                    write(out, byKey.get(new String(key, StandardCharsets.UTF_8)), depth + 1);
                }
                out.write('e');
            }
            case null -> throw new IllegalArgumentException("bencode: null has no encoding");
            default -> throw new IllegalArgumentException("bencode: cannot encode " + value.getClass().getName());
        }
    }

    private static void writeInt(ByteArrayOutputStream out, long value) {
        out.write('i');
        out.writeBytes(Long.toString(value).getBytes(StandardCharsets.US_ASCII));
        out.write('e');
    }

    private static void writeBytes(ByteArrayOutputStream out, byte[] bytes) {
        out.writeBytes(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
        out.write(':');
        out.writeBytes(bytes);
    }

    // ---- decoding ----

    /** Decodes exactly one value filling {@code buf[off, off + len)}. */
    public static Object decode(byte[] buf, int off, int len) {
        if (off < 0 || len < 0 || off + len > buf.length || off + len < 0) {
            throw new IndexOutOfBoundsException("bencode: range " + off + "+" + len + " outside " + buf.length + " bytes");
        }
        Reader r = new Reader(buf, off, off + len);
        if (len == 0) {
            throw new MalformedException("empty input", off);
        }
        Object value = r.value(0);
        if (r.pos != r.end) {
            throw new MalformedException("trailing bytes after the value", r.pos);
        }
        return value;
    }

    /** Decodes the whole array. */
    public static Object decode(byte[] buf) {
        return decode(buf, 0, buf.length);
    }

    /** Decodes a value that must be a dictionary (an ng message body, a heartbeat). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> decodeDictionary(byte[] buf, int off, int len) {
        Object value = decode(buf, off, len);
        if (!(value instanceof Map)) {
            throw new MalformedException("not a dictionary", off);
        }
        return (Map<String, Object>) value;
    }

    /** A decoded byte string (or any value) as text: byte strings as UTF-8, numbers in decimal, else null. */
    public static String string(Object value) {
        return switch (value) {
            case byte[] bytes -> new String(bytes, StandardCharsets.UTF_8);
            case String s -> s;
            case Number n -> n.toString();
            case null, default -> null;
        };
    }

    private static final class Reader {
        private final byte[] buf;
        private final int end;
        private int pos;

        Reader(byte[] buf, int pos, int end) {
            this.buf = buf;
            this.pos = pos;
            this.end = end;
        }

        Object value(int depth) {
            if (pos >= end) {
                throw new MalformedException("unexpected end of input", pos);
            }
            byte b = buf[pos];
            if (b == 'i') {
                int at = pos++;
                return number('e', at);
            }
            if (b >= '0' && b <= '9') {
                return bytes();
            }
            if (b == 'l' || b == 'd') {
                if (depth >= MAX_DEPTH) {
                    throw new MalformedException("nesting deeper than " + MAX_DEPTH, pos);
                }
                pos++;
                return b == 'l' ? list(depth) : dictionary(depth);
            }
            throw new MalformedException("unexpected byte 0x" + Integer.toHexString(b & 0xff), pos);
        }

        private List<Object> list(int depth) {
            List<Object> list = new ArrayList<>();
            while (true) {
                if (pos >= end) {
                    throw new MalformedException("unterminated list", pos);
                }
                if (buf[pos] == 'e') {
                    pos++;
                    return list;
                }
                list.add(value(depth + 1));
            }
        }

        private Map<String, Object> dictionary(int depth) {
            Map<String, Object> map = new LinkedHashMap<>();
            while (true) {
                if (pos >= end) {
                    throw new MalformedException("unterminated dictionary", pos);
                }
                if (buf[pos] == 'e') {
                    pos++;
                    return map;
                }
                int keyAt = pos;
                if (buf[pos] < '0' || buf[pos] > '9') {
                    throw new MalformedException("dictionary key is not a byte string", pos);
                }
                String key = new String(bytes(), StandardCharsets.UTF_8);
                if (map.containsKey(key)) {
                    throw new MalformedException("duplicate dictionary key '" + key + "'", keyAt);
                }
                map.put(key, value(depth + 1));
            }
        }

        private byte[] bytes() {
            int at = pos;
            long length = number(':', at);
            if (length < 0) {
                throw new MalformedException("negative string length", at);
            }
            if (length > end - pos) {
                throw new MalformedException("string length " + length + " exceeds the " + (end - pos) + " bytes left", at);
            }
            byte[] bytes = Arrays.copyOfRange(buf, pos, pos + (int) length);
            pos += (int) length;
            return bytes;
        }

        /** Digits (with an optional '-') up to the terminator, which is consumed. */
        private long number(char terminator, int start) {
            boolean negative = pos < end && buf[pos] == '-' && terminator == 'e';
            if (negative) {
                pos++;
            }
            int digitsAt = pos;
            long value = 0;
            while (pos < end && buf[pos] != terminator) {
                byte c = buf[pos];
                if (c < '0' || c > '9') {
                    throw new MalformedException("unexpected byte 0x" + Integer.toHexString(c & 0xff) + " in a number", pos);
                }
                if (pos - digitsAt >= MAX_INT_DIGITS) {
                    throw new MalformedException("number too long", pos);
                }
                try {
                    value = Math.addExact(Math.multiplyExact(value, 10), negative ? -(c - '0') : c - '0');
                } catch (ArithmeticException e) {
                    throw new MalformedException("number out of the 64-bit range", start);
                }
                pos++;
            }
            if (pos >= end) {
                throw new MalformedException("unterminated number", start);
            }
            int digits = pos - digitsAt;
            if (digits == 0) {
                throw new MalformedException("number without digits", start);
            }
            if (digits > 1 && buf[digitsAt] == '0') {
                throw new MalformedException("leading zero in a number", start);
            }
            if (negative && value == 0) {
                throw new MalformedException("negative zero", start);
            }
            pos++; // the terminator
            return value;
        }
    }
}

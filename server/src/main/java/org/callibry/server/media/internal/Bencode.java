package org.callibry.server.media.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Bencoding (BEP 3), the encoding of the rtpengine ng control protocol. */
final class Bencode {
    private Bencode() {
    }

    /** Input that is not valid bencoding; the message names the offset. */
    static final class MalformedException extends IllegalArgumentException {
        MalformedException(String message, int offset) {
            super(message + " at offset " + offset);
        }
    }

    static byte[] encode(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        write(out, value);
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, Object v) {
        switch (v) {
            case Long l -> out.writeBytes(("i" + l + "e").getBytes(StandardCharsets.US_ASCII));
            case Integer i -> out.writeBytes(("i" + i + "e").getBytes(StandardCharsets.US_ASCII));
            case String s -> writeBytes(out, s.getBytes(StandardCharsets.UTF_8));
            case byte[] b -> writeBytes(out, b);
            case List<?> list -> {
                out.write('l');
                list.forEach(x -> write(out, x));
                out.write('e');
            }
            case Map<?, ?> map -> {
                out.write('d');
                // keys sorted as raw byte strings (BEP 3)
                new TreeMap<>(map).forEach((k, x) -> {
                    writeBytes(out, k.toString().getBytes(StandardCharsets.UTF_8));
                    write(out, x);
                });
                out.write('e');
            }
            default -> throw new IllegalArgumentException("cannot bencode " + v.getClass().getSimpleName());
        }
    }

    private static void writeBytes(ByteArrayOutputStream out, byte[] b) {
        out.writeBytes(Integer.toString(b.length).getBytes(StandardCharsets.US_ASCII));
        out.write(':');
        out.writeBytes(b);
    }

    /** Decodes one value from {@code buf[off..off+len)}: Long, byte[], List, or Map with String keys. */
    static Object decode(byte[] buf, int off, int len) {
        int[] pos = {off};
        Object v = read(buf, pos, off + len, 0);
        if (pos[0] != off + len) {
            throw new MalformedException("trailing bytes", pos[0]);
        }
        return v;
    }

    private static Object read(byte[] b, int[] pos, int end, int depth) {
        if (depth > 32) {
            throw new MalformedException("nesting too deep", pos[0]);
        }
        if (pos[0] >= end) {
            throw new MalformedException("unexpected end", pos[0]);
        }
        byte c = b[pos[0]];
        if (c == 'i') {
            int e = indexOf(b, (byte) 'e', pos[0] + 1, end);
            try {
                long v = Long.parseLong(new String(b, pos[0] + 1, e - pos[0] - 1, StandardCharsets.US_ASCII));
                pos[0] = e + 1;
                return v;
            } catch (NumberFormatException x) {
                throw new MalformedException("bad integer", pos[0]);
            }
        }
        if (c == 'l' || c == 'd') {
            pos[0]++;
            List<Object> items = new ArrayList<>();
            while (true) {
                if (pos[0] >= end) {
                    throw new MalformedException("unterminated " + (c == 'l' ? "list" : "dictionary"), pos[0]);
                }
                if (b[pos[0]] == 'e') {
                    pos[0]++;
                    break;
                }
                items.add(read(b, pos, end, depth + 1));
            }
            if (c == 'l') {
                return items;
            }
            if (items.size() % 2 != 0) {
                throw new MalformedException("dictionary with a key and no value", pos[0]);
            }
            Map<String, Object> map = new LinkedHashMap<>();
            for (int i = 0; i < items.size(); i += 2) {
                if (!(items.get(i) instanceof byte[] key)) {
                    throw new MalformedException("dictionary key is not a string", pos[0]);
                }
                map.put(new String(key, StandardCharsets.UTF_8), items.get(i + 1));
            }
            return map;
        }
        if (c >= '0' && c <= '9') {
            int colon = indexOf(b, (byte) ':', pos[0], end);
            int n;
            try {
                n = Integer.parseInt(new String(b, pos[0], colon - pos[0], StandardCharsets.US_ASCII));
            } catch (NumberFormatException x) {
                throw new MalformedException("bad string length", pos[0]);
            }
            if (n < 0 || colon + 1 + n > end) {
                throw new MalformedException("string longer than the input", pos[0]);
            }
            byte[] s = new byte[n];
            System.arraycopy(b, colon + 1, s, 0, n);
            pos[0] = colon + 1 + n;
            return s;
        }
        throw new MalformedException("unexpected byte '" + (char) c + "'", pos[0]);
    }

    private static int indexOf(byte[] b, byte what, int from, int end) {
        for (int i = from; i < end; i++) {
            if (b[i] == what) {
                return i;
            }
        }
        throw new MalformedException("missing '" + (char) what + "'", from);
    }

    /** A dictionary value as text, or null. */
    static String string(Map<String, Object> dict, String key) {
        Object v = dict.get(key);
        return v instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : v instanceof String s ? s : null;
    }
}

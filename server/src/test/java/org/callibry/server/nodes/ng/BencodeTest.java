package org.callibry.server.nodes.ng;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Bencode on wire bytes. Scenarios: integers (zero, negative, 64-bit limits), byte strings (empty,
 * binary, UTF-8), lists, dictionaries with keys sorted as raw bytes, nesting, an ng ping round trip,
 * decoding at an offset; malformed input (truncation at every byte, leading zeros, -0, overflow,
 * string longer than the buffer, non-string keys, duplicate keys, trailing bytes, nesting too deep)
 * each reported with its offset; values that have no encoding.
 */
class BencodeTest {

    private static String enc(Object v) {
        return new String(Bencode.encode(v), ISO_8859_1);
    }

    private static Object dec(String s) {
        byte[] b = s.getBytes(ISO_8859_1);
        return Bencode.decode(b, 0, b.length);
    }

    @Test
    void encodesIntegers() {
        assertThat(enc(0L)).isEqualTo("i0e");
        assertThat(enc(42)).isEqualTo("i42e");
        assertThat(enc(-3L)).isEqualTo("i-3e");
        assertThat(enc(Long.MAX_VALUE)).isEqualTo("i9223372036854775807e");
        assertThat(enc(Long.MIN_VALUE)).isEqualTo("i-9223372036854775808e");
    }

    @Test
    void decodesIntegersAsLong() {
        assertThat(dec("i0e")).isEqualTo(0L);
        assertThat(dec("i-17e")).isEqualTo(-17L);
        assertThat(dec("i9223372036854775807e")).isEqualTo(Long.MAX_VALUE);
        assertThat(dec("i-9223372036854775808e")).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void encodesByteStringsAndUtf8Text() {
        assertThat(enc("spam")).isEqualTo("4:spam");
        assertThat(enc("")).isEqualTo("0:");
        assertThat(Bencode.encode("é")).containsExactly('2', ':', 0xc3, 0xa9);
        assertThat(Bencode.encode(new byte[] {0, (byte) 0xff, 'e'})).containsExactly('3', ':', 0, 0xff, 'e');
    }

    @Test
    void decodesByteStringsAsBytes() {
        assertThat((byte[]) dec("4:spam")).isEqualTo("spam".getBytes(UTF_8));
        assertThat((byte[]) dec("0:")).isEmpty();
        assertThat((byte[]) dec("3:i1e")).isEqualTo("i1e".getBytes(UTF_8));
        assertThat(Bencode.string(dec("2:\u00c3\u00a9"))).isEqualTo("é");
    }

    @Test
    void encodesAndDecodesLists() {
        assertThat(enc(List.of("spam", 42L))).isEqualTo("l4:spami42ee");
        assertThat(enc(List.of())).isEqualTo("le");
        assertThat(dec("le")).isEqualTo(List.of());
        List<?> list = (List<?>) dec("l4:spami42ee");
        assertThat((byte[]) list.get(0)).isEqualTo("spam".getBytes(UTF_8));
        assertThat(list.get(1)).isEqualTo(42L);
    }

    @Test
    void sortsDictionaryKeysAsRawBytes() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("zeta", 1);
        m.put("Zeta", 2);
        m.put("a", 3);
        m.put("ab", 4);
        m.put("é", 5); // 0xc3 sorts after every ASCII byte
        assertThat(enc(m)).isEqualTo("d4:Zetai2e1:ai3e2:abi4e4:zetai1e2:\u00c3\u00a9i5ee");
        assertThat(enc(Map.of())).isEqualTo("de");
    }

    @Test
    void decodesDictionariesInWireOrderEvenUnsorted() {
        Map<?, ?> m = (Map<?, ?>) dec("d1:bi1e1:ai2ee");
        assertThat(m).isInstanceOf(LinkedHashMap.class);
        assertThat(new ArrayList<Object>(m.keySet())).containsExactly("b", "a");
        assertThat(m.get("a")).isEqualTo(2L);
    }

    @Test
    void roundTripsNestedValues() {
        Map<String, Object> inner = new TreeMap<>();
        inner.put("flags", List.of("trust-address", "symmetric"));
        inner.put("n", -5L);
        Map<String, Object> outer = Map.of("command", "offer", "opts", inner, "list", List.of(List.of(List.of())));
        byte[] wire = Bencode.encode(outer);
        assertThat(new String(wire, ISO_8859_1)).isEqualTo(
                "d7:command5:offer4:listllleee4:optsd5:flagsl13:trust-address9:symmetrice1:ni-5eee");
        Map<String, Object> back = Bencode.decodeDictionary(wire, 0, wire.length);
        assertThat(Bencode.string(back.get("command"))).isEqualTo("offer");
        assertThat(Bencode.encode(back)).isEqualTo(wire);
    }

    @Test
    void decodesAnNgPingBodyAtAnOffset() {
        byte[] msg = "5323_1 d7:command4:pinge".getBytes(ISO_8859_1);
        Map<String, Object> body = Bencode.decodeDictionary(msg, 7, msg.length - 7);
        assertThat(Bencode.string(body.get("command"))).isEqualTo("ping");
    }

    @Test
    void refusesValuesWithoutEncoding() {
        assertThatThrownBy(() -> Bencode.encode(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Bencode.encode(true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Bencode.encode(1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Bencode.encode(Map.of(1, 2))).hasMessageContaining("key");
    }

    @Test
    void reportsTruncationAtEveryByte() {
        String whole = "d7:command5:offer4:listli1e2:abe3:sdp3:v=0e";
        assertThat(dec(whole)).isInstanceOf(Map.class);
        for (int cut = 0; cut < whole.length(); cut++) {
            String part = whole.substring(0, cut);
            assertThatThrownBy(() -> dec(part)).as("cut at %d", cut)
                    .isInstanceOf(Bencode.MalformedException.class).hasMessageContaining("offset");
        }
    }

    @Test
    void refusesMalformedNumbers() {
        assertMalformed("i03e", 0, "leading zero");
        assertMalformed("i-0e", 0, "negative zero");
        assertMalformed("ie", 0, "without digits");
        assertMalformed("i-e", 0, "without digits");
        assertMalformed("i1x2e", 2, "unexpected byte");
        assertMalformed("i9223372036854775808e", 0, "64-bit");
        assertMalformed("i000000000000000000000000e", 21, "too long");
        assertMalformed("01:a", 0, "leading zero");
        assertMalformed("-1:a", 0, "unexpected byte");
    }

    @Test
    void refusesStringsLongerThanTheBuffer() {
        assertMalformed("5:abc", 0, "exceeds");
        assertMalformed("99999999999:a", 0, "exceeds");
        assertMalformed("l4:abe", 1, "exceeds");
    }

    @Test
    void refusesBadDictionaries() {
        assertMalformed("di1ei2ee", 1, "key is not a byte string");
        assertMalformed("d1:ai1e1:ai2ee", 7, "duplicate");
    }

    @Test
    void refusesTrailingBytesAndUnknownTypes() {
        assertMalformed("i1ei2e", 3, "trailing");
        assertMalformed("x", 0, "unexpected byte 0x78");
        assertMalformed("", 0, "empty");
    }

    @Test
    void limitsNesting() {
        String ok = "l".repeat(Bencode.MAX_DEPTH) + "e".repeat(Bencode.MAX_DEPTH);
        assertThat(dec(ok)).isInstanceOf(List.class);
        String deep = "l".repeat(Bencode.MAX_DEPTH + 1) + "e".repeat(Bencode.MAX_DEPTH + 1);
        assertMalformed(deep, Bencode.MAX_DEPTH, "nesting");
    }

    @Test
    void offsetsCountFromTheStartOfTheBuffer() {
        byte[] buf = "xxxxi01e".getBytes(ISO_8859_1);
        assertThatThrownBy(() -> Bencode.decode(buf, 4, 4)).isInstanceOfSatisfying(Bencode.MalformedException.class,
                e -> assertThat(e.offset()).isEqualTo(4));
        assertThatThrownBy(() -> Bencode.decode(buf, 4, 10)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    private static void assertMalformed(String input, int offset, String message) {
        assertThatThrownBy(() -> dec(input)).as(input)
                .isInstanceOfSatisfying(Bencode.MalformedException.class, e -> {
                    assertThat(e.offset()).isEqualTo(offset);
                    assertThat(e.getMessage()).contains(message).endsWith("at offset " + offset);
                });
    }
}

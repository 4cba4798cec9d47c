package org.callibry.shared.media;

/**
 * One RFC 4733 telephone-event payload (the DTMF "named events" of RFC 4733 §3): the 4-byte
 * payload of §2.3 and the mapping of event codes 0-15 to the keypad characters.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * |     event     |E|R| volume    |          duration             |
 * </pre>
 *
 * @param event    the event code, 0-255 (0-15 are DTMF digits)
 * @param end      the E bit: this packet ends the event (§2.5.1.4, sent three times)
 * @param volume   power level in -dBm0, 0-63 (§2.3.4)
 * @param duration in timestamp units since the event began, 0-65535 (§2.3.5)
 */
public record TelephoneEvent(int event, boolean end, int volume, int duration) {
    /** RFC 4733 §2.3: the payload is always four bytes. */
    public static final int PAYLOAD_LENGTH = 4;
    private static final String DIGITS = "0123456789*#ABCD";

    public TelephoneEvent {
        if (event < 0 || event > 255) {
            throw new IllegalArgumentException("event must be 0-255: " + event);
        }
        if (volume < 0 || volume > 63) {
            throw new IllegalArgumentException("volume must be 0-63: " + volume);
        }
        if (duration < 0 || duration > 0xFFFF) {
            throw new IllegalArgumentException("duration must be 0-65535: " + duration);
        }
    }

    /** A DTMF key press: {@code digit} is one of {@code 0-9 * # A-D}. */
    public static TelephoneEvent ofDigit(char digit, boolean end, int volume, int duration) {
        return new TelephoneEvent(code(digit), end, volume, duration);
    }

    /** Decodes the payload at {@code buf[offset]}; shorter than four bytes is refused (§2.3). */
    public static TelephoneEvent decode(byte[] buf, int offset, int length) {
        if (length < PAYLOAD_LENGTH || offset < 0 || offset > buf.length - PAYLOAD_LENGTH) {
            throw new IllegalArgumentException("a telephone-event payload has 4 bytes, got " + length);
        }
        int event = buf[offset] & 0xFF;
        int flags = buf[offset + 1] & 0xFF;
        // §2.3: the R bit is reserved, set to 0 by senders and ignored by receivers
        boolean end = (flags & 0x80) != 0;
        int volume = flags & 0x3F;
        int duration = ((buf[offset + 2] & 0xFF) << 8) | (buf[offset + 3] & 0xFF);
        return new TelephoneEvent(event, end, volume, duration);
    }

    /** The four payload bytes, written at {@code buf[offset]}; returns the number written (4). */
    public int encode(byte[] buf, int offset) {
        buf[offset] = (byte) event;
        buf[offset + 1] = (byte) ((end ? 0x80 : 0) | volume);
        buf[offset + 2] = (byte) (duration >> 8);
        buf[offset + 3] = (byte) duration;
        return PAYLOAD_LENGTH;
    }

    /** The four payload bytes. */
    public byte[] encode() {
        byte[] buf = new byte[PAYLOAD_LENGTH];
        encode(buf, 0);
        return buf;
    }

    /** Is this one of the sixteen DTMF events (§3.2)? */
    public boolean isDtmf() {
        return event < DIGITS.length();
    }

    /** The keypad character of a DTMF event; other events have none. */
    public char digit() {
        return digit(event);
    }

    /** RFC 4733 §3.2, table 1: event codes 0-9 are the digits, 10 '*', 11 '#', 12-15 'A'-'D'. */
    public static char digit(int event) {
        if (event < 0 || event >= DIGITS.length()) {
            throw new IllegalArgumentException("not a DTMF event: " + event);
        }
        return DIGITS.charAt(event);
    }

    /** The event code of a keypad character ({@code a-d} taken as {@code A-D}). */
    public static int code(char digit) {
        int i = DIGITS.indexOf(Character.toUpperCase(digit));
        if (i < 0) {
            throw new IllegalArgumentException("not a DTMF digit: '" + digit + "'");
        }
        return i;
    }
}

package org.callibry.softphone.audio;

import java.util.ArrayDeque;
import java.util.Queue;
import org.callibry.shared.media.TelephoneEvent;

/**
 * Schedules RFC 4733 telephone-event packets, one per 20 ms tick, for the digits queued: the first
 * packet of an event carries the marker (§2.5.1.1), all carry the event's start timestamp
 * (§2.5.1.2) and the duration so far, and the final packet, with the E bit, is sent three times
 * (§2.5.1.4). Digits are played one after another with {@link #GAP_FRAMES} frames of audio between.
 * The session's clock thread is the only caller of {@link #next(long)}.
 */
final class DtmfSender {
    /** −10 dBm0, a usual DTMF level (RFC 4733 §2.3.4). */
    static final int VOLUME = 10;
    static final int END_PACKETS = 3;
    static final int GAP_FRAMES = 2;
    /** Longest event sent in one piece: the 16-bit duration field holds up to 8.19 s (§2.5.1.3). */
    static final int MAX_DURATION_MS = 8000;

    /** A packet to send instead of audio in this tick. */
    record Packet(byte[] payload, boolean marker, long timestamp, TelephoneEvent event) {
    }

    private record Digit(char digit, int durationMs) {
    }

    private final Queue<Digit> queue = new ArrayDeque<>();
    private Digit current;
    private long startTimestamp;
    private int sent;
    private int endsSent;
    private int gap;

    /** Queues a digit, {@code 0-9 * # A-D}, lasting {@code durationMs} (at least one frame). */
    synchronized void enqueue(char digit, int durationMs) {
        TelephoneEvent.code(digit);
        queue.add(new Digit(digit, Math.max(AudioFrame.MILLIS, Math.min(MAX_DURATION_MS, durationMs))));
    }

    /** Is an event being sent or queued? */
    synchronized boolean busy() {
        return current != null || !queue.isEmpty();
    }

    /**
     * The telephone-event packet for the tick whose media timestamp is {@code timestamp}, or null
     * when this tick carries audio.
     */
    synchronized Packet next(long timestamp) {
        if (current == null) {
            if (gap > 0) {
                gap--;
                return null;
            }
            current = queue.poll();
            if (current == null) {
                return null;
            }
            startTimestamp = timestamp;
            sent = 0;
            endsSent = 0;
        }
        int target = current.durationMs() * (AudioFrame.SAMPLE_RATE / 1000);
        int duration = Math.min((sent + 1) * AudioFrame.SAMPLES, roundUpToFrame(target));
        boolean end = duration >= target;
        boolean marker = sent == 0;
        sent++;
        if (end) {
            endsSent++;
        }
        TelephoneEvent event = TelephoneEvent.ofDigit(current.digit(), end, VOLUME, duration);
        Packet packet = new Packet(event.encode(), marker, startTimestamp, event);
        if (endsSent == END_PACKETS) {
            current = null;
            gap = GAP_FRAMES;
        }
        return packet;
    }

    private static int roundUpToFrame(int units) {
        return (units + AudioFrame.SAMPLES - 1) / AudioFrame.SAMPLES * AudioFrame.SAMPLES;
    }
}

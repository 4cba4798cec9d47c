package org.callibry.softphone.audio;

/**
 * What RFC 3550 asks a receiver to count for one source: packets received and lost against the
 * extended highest sequence number (§A.1, §A.3) and the interarrival jitter (§A.8), in timestamp units.
 * Not thread-safe: the session guards it.
 */
final class ReceptionStatistics {
    private boolean started;
    private int ssrc;
    private long baseSequence;
    private long highestSequence;
    private long received;
    private double jitter;
    private long lastTransit;
    private boolean haveTransit;
    private long expectedPrior;
    private long receivedPrior;

    /** Counts one packet with {@code arrival} in timestamp units (8 kHz) on the receiver's clock. */
    void update(int ssrc, int sequence, long timestamp, long arrival, boolean countJitter) {
        if (!started || ssrc != this.ssrc) {
            started = true;
            this.ssrc = ssrc;
            baseSequence = sequence;
            highestSequence = sequence;
            received = 0;
            jitter = 0;
            haveTransit = false;
            expectedPrior = 0;
            receivedPrior = 0;
        }
        long candidate = (highestSequence & ~0xFFFFL) | sequence;
        if (candidate - highestSequence > 0x8000) {
            candidate -= 0x10000;
        } else if (highestSequence - candidate > 0x8000) {
            candidate += 0x10000;
        }
        highestSequence = Math.max(highestSequence, candidate);
        received++;
        if (countJitter) {
            // §A.8: D(i-1,i) = (Rj - Ri) - (Sj - Si); J += (|D| - J) / 16
            long transit = arrival - timestamp;
            if (haveTransit) {
                long d = Math.abs(transit - lastTransit);
                if (d < AudioFrame.SAMPLE_RATE) {
                    jitter += (d - jitter) / 16.0;
                }
            }
            lastTransit = transit;
            haveTransit = true;
        }
    }

    boolean started() {
        return started;
    }

    int ssrc() {
        return ssrc;
    }

    long received() {
        return received;
    }

    long highestSequence() {
        return highestSequence;
    }

    /** §A.3: expected minus received; never negative (duplicates can outnumber losses). */
    long lost() {
        if (!started) {
            return 0;
        }
        return Math.max(0, highestSequence - baseSequence + 1 - received);
    }

    /** Jitter in timestamp units. */
    double jitter() {
        return jitter;
    }

    /** §A.3: the fraction lost since the last call, as the 8-bit fixed-point value of a report block. */
    int fractionLost() {
        long expected = highestSequence - baseSequence + 1;
        long expectedInterval = expected - expectedPrior;
        long receivedInterval = received - receivedPrior;
        expectedPrior = expected;
        receivedPrior = received;
        long lostInterval = expectedInterval - receivedInterval;
        if (expectedInterval <= 0 || lostInterval <= 0) {
            return 0;
        }
        return (int) Math.min(255, (lostInterval << 8) / expectedInterval);
    }
}

package org.callibry.softphone.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import org.junit.jupiter.api.Test;

/**
 * Scenarios: in-order playout, reordering, loss concealed by attenuated repetition then silence,
 * late packets dropped (and the delay raised), sequence wrap-around, SSRC change, the target delay
 * growing with jitter and shrinking slowly, the maximum delay.
 */
class JitterBufferTest {
    private static final long MS = 1_000_000L;
    private static final int SSRC = 0x1234;

    private final JitterBuffer buffer = new JitterBuffer();

    private static short[] frame(int value) {
        short[] f = new short[AudioFrame.SAMPLES];
        java.util.Arrays.fill(f, (short) value);
        return f;
    }

    private boolean offer(int seq) {
        return buffer.offer(seq & 0xFFFF, (seq & 0xFFFFL) * AudioFrame.SAMPLES, SSRC, frame(seq % 10000), seq * 20 * MS);
    }

    private int poll() {
        return buffer.poll()[0];
    }

    @Test
    void playsPacketsInOrderOneFramePerPoll() {
        for (int seq = 0; seq < 10; seq++) {
            offer(seq);
            assertThat(poll()).isEqualTo(seq);
        }
        assertThat(buffer.statistics().played()).isEqualTo(10);
        assertThat(buffer.statistics().lost()).isZero();
    }

    @Test
    void givesSilenceBeforeTheFirstPacket() {
        assertThat(buffer.poll()).containsOnly((short) 0).hasSize(AudioFrame.SAMPLES);
    }

    @Test
    void reordersPacketsBySequenceNumber() {
        offer(1);
        assertThat(poll()).isEqualTo(1);
        offer(3);
        offer(2);
        offer(5);
        offer(4);
        assertThat(List.of(poll(), poll(), poll(), poll())).containsExactly(2, 3, 4, 5);
        assertThat(buffer.statistics().lost()).isZero();
    }

    @Test
    void concealsLossByRepeatingTheLastFrameAttenuatedThenSilence() {
        buffer.offer(0, 0, SSRC, frame(1000), 0);
        assertThat(poll()).isEqualTo(1000);
        buffer.offer(7, 7 * 160, SSRC, frame(2000), 140 * MS);
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            out.add(poll());
        }
        assertThat(out).containsExactly(700, 490, 343, 240, 0, 0, 2000);
        assertThat(buffer.statistics().lost()).isEqualTo(6);
        assertThat(buffer.statistics().concealed()).isEqualTo(6);
    }

    @Test
    void waitsForAMissingPacketWhenNothingFollowsIt() {
        offer(1);
        poll();
        poll(); // packet 2 is not there and nothing follows it: conceal, and keep waiting for it
        offer(2);
        assertThat(poll()).isEqualTo(2);
        assertThat(buffer.statistics().lost()).isZero();
    }

    @Test
    void dropsLatePacketsAndRaisesTheDelay() {
        offer(1);
        assertThat(poll()).isEqualTo(1);
        offer(3);
        poll(); // 2 is given up: 3 is waiting behind it
        assertThat(offer(2)).isFalse();
        assertThat(poll()).isEqualTo(3);
        assertThat(buffer.statistics().late()).isEqualTo(1);
        assertThat(buffer.targetDelayMillis()).isEqualTo(40);
    }

    @Test
    void playsSilenceForSequenceNumbersTakenByTelephoneEvents() {
        offer(1);
        assertThat(poll()).isEqualTo(1);
        buffer.offerSilence(2, SSRC);
        buffer.offerSilence(3, SSRC);
        offer(4);
        assertThat(List.of(poll(), poll(), poll())).containsExactly(0, 0, 4);
        assertThat(buffer.statistics().lost()).isZero();
        assertThat(buffer.statistics().concealed()).isZero();
    }

    @Test
    void dropsDuplicates() {
        offer(1);
        assertThat(offer(1)).isFalse();
        assertThat(buffer.statistics().duplicates()).isEqualTo(1);
    }

    @Test
    void followsTheSequenceNumberAcrossTheWrapAround() {
        int[] sent = {65533, 65534, 65535, 0, 1, 2};
        int[] arrivalOrder = {0, 1, 3, 2, 4, 5};
        for (int k : arrivalOrder) {
            buffer.offer(sent[k], 1000 + k * 160L, SSRC, frame(sent[k] % 30000), k * 20 * MS);
        }
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            out.add(poll());
        }
        assertThat(out).containsExactly(65533 % 30000, 65534 % 30000, 65535 % 30000, 0, 1, 2);
        assertThat(buffer.statistics().lost()).isZero();
        assertThat(buffer.statistics().late()).isZero();
    }

    @Test
    void startsOverWhenTheSsrcChanges() {
        for (int seq = 100; seq < 103; seq++) {
            offer(seq);
            poll();
        }
        buffer.offer(40000, 0, 0x9999, frame(7), 0);
        assertThat(poll()).isEqualTo(7);
        assertThat(buffer.statistics().late()).isZero();
        assertThat(buffer.statistics().lost()).isZero();
    }

    @Test
    void targetDelayGrowsWithJitterAndShrinksSlowly() {
        // packets alternately on time and 20 ms late: RFC 3550 jitter about 20 ms
        Simulation jittery = new Simulation(buffer);
        for (int seq = 0; seq < 200; seq++) {
            jittery.packet(seq, seq * 20L + (seq % 2 == 0 ? 0 : 20));
        }
        jittery.run(200);
        int grown = buffer.targetDelayMillis();
        assertThat(grown).isGreaterThanOrEqualTo(60);

        Simulation steady = new Simulation(buffer);
        for (int seq = 200; seq < 800; seq++) {
            steady.packet(seq, seq * 20L);
        }
        steady.from(200).run(60);
        assertThat(buffer.targetDelayMillis()).as("still high 1.2 s later").isGreaterThanOrEqualTo(grown - 20);
        steady.run(540);
        assertThat(buffer.targetDelayMillis()).isEqualTo(JitterBuffer.MIN_DELAY_MS);
        assertThat(buffer.statistics().bufferedMillis()).isLessThanOrEqualTo(60);
    }

    @Test
    void noLossUnderJitterOnceAdapted() {
        Simulation sim = new Simulation(buffer);
        java.util.Random random = new java.util.Random(42);
        for (int seq = 0; seq < 1000; seq++) {
            sim.packet(seq, seq * 20L + random.nextInt(50));
        }
        sim.run(1000);
        JitterBuffer.Statistics s = buffer.statistics();
        assertThat(s.targetDelayMillis()).isBetween(60, JitterBuffer.MAX_DELAY_MS);
        assertThat(s.lost() + s.late()).isLessThan(30);
    }

    @Test
    void neverHoldsMoreThanTheMaximumDelay() {
        for (int seq = 0; seq < 30; seq++) {
            offer(seq);
        }
        assertThat(poll()).isGreaterThanOrEqualTo(30 - JitterBuffer.MAX_DELAY_MS / 20);
        assertThat(buffer.statistics().dropped()).isGreaterThan(0);
    }

    @Test
    void jitterCannotPushTheTargetBeyondTheMaximum() {
        Simulation sim = new Simulation(buffer);
        for (int seq = 0; seq < 100; seq++) {
            sim.packet(seq, seq * 20L + (seq % 2 == 0 ? 0 : 150));
        }
        sim.run(100);
        assertThat(buffer.targetDelayMillis()).isEqualTo(JitterBuffer.MAX_DELAY_MS);
    }

    /** Packets arriving at given times and a poll every 20 ms (at 10 ms past each period), in time order. */
    private static final class Simulation {
        private record Event(long atMillis, int seq) {
        }

        private final JitterBuffer buffer;
        private final PriorityQueue<Event> packets = new PriorityQueue<>((a, b) -> Long.compare(a.atMillis, b.atMillis));
        private long tick;

        Simulation(JitterBuffer buffer) {
            this.buffer = buffer;
        }

        void packet(int seq, long atMillis) {
            packets.add(new Event(atMillis, seq));
        }

        Simulation from(long tick) {
            this.tick = tick;
            return this;
        }

        void run(int polls) {
            for (int i = 0; i < polls; i++) {
                long pollAt = tick * 20 + 10;
                while (!packets.isEmpty() && packets.peek().atMillis() <= pollAt) {
                    Event e = packets.poll();
                    buffer.offer(e.seq() & 0xFFFF, e.seq() * 160L, SSRC, frame(e.seq()), e.atMillis() * MS);
                }
                buffer.poll();
                tick++;
            }
        }
    }
}

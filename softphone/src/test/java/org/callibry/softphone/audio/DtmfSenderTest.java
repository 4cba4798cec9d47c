package org.callibry.softphone.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Scenarios (RFC 4733 §2.5.1): the marker on the first packet only, one timestamp per event,
 * growing durations, the end packet three times, the wire bytes of the payload, queued digits
 * with a gap between, refusal of a non-digit.
 */
class DtmfSenderTest {
    private final DtmfSender sender = new DtmfSender();

    private List<DtmfSender.Packet> run(long firstTimestamp, int ticks) {
        List<DtmfSender.Packet> out = new ArrayList<>();
        for (int i = 0; i < ticks; i++) {
            out.add(sender.next(firstTimestamp + i * 160L));
        }
        return out;
    }

    @Test
    void sendsAStartWithMarkerUpdatesAndThreeEndPacketsWithTheStartTimestamp() {
        sender.enqueue('5', 100);
        List<DtmfSender.Packet> packets = run(1000, 10);

        assertThat(packets.subList(0, 7)).allSatisfy(p -> assertThat(p.timestamp()).isEqualTo(1000));
        assertThat(packets.subList(0, 7)).extracting(DtmfSender.Packet::marker)
                .containsExactly(true, false, false, false, false, false, false);
        assertThat(packets.subList(0, 7)).extracting(p -> p.event().duration())
                .containsExactly(160, 320, 480, 640, 800, 800, 800);
        assertThat(packets.subList(0, 7)).extracting(p -> p.event().end())
                .containsExactly(false, false, false, false, true, true, true);
        assertThat(packets.subList(7, 10)).containsOnlyNulls();
        assertThat(sender.busy()).isFalse();
    }

    @Test
    void payloadBytesFollowRfc4733() {
        sender.enqueue('#', 40);
        List<DtmfSender.Packet> packets = run(0, 4);
        // event 11, volume 10, duration 160
        assertThat(packets.get(0).payload()).containsExactly(11, 0x0A, 0x00, 0xA0);
        // E bit set, duration 320
        assertThat(packets.get(1).payload()).containsExactly(11, 0x8A, 0x01, 0x40);
        assertThat(packets.get(3).payload()).containsExactly(11, 0x8A, 0x01, 0x40);
    }

    @Test
    void queuedDigitsFollowEachOtherWithTheirOwnTimestamps() {
        sender.enqueue('1', 20);
        sender.enqueue('2', 20);
        List<DtmfSender.Packet> packets = run(0, 10);
        // '1': one packet that is already the end, sent three times; two frames of audio; then '2'
        assertThat(packets.get(0).event().digit()).isEqualTo('1');
        assertThat(packets.get(0).marker()).isTrue();
        assertThat(packets.get(2).event().end()).isTrue();
        assertThat(packets.subList(3, 5)).containsOnlyNulls();
        assertThat(packets.get(5).event().digit()).isEqualTo('2');
        assertThat(packets.get(5).marker()).isTrue();
        assertThat(packets.get(5).timestamp()).isEqualTo(5 * 160);
        assertThat(packets.get(7).timestamp()).isEqualTo(5 * 160);
    }

    @Test
    void refusesWhatIsNotADigit() {
        assertThatThrownBy(() -> sender.enqueue('x', 100)).isInstanceOf(IllegalArgumentException.class);
    }
}

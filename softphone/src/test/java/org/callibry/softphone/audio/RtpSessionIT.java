package org.callibry.softphone.audio;

import static org.assertj.core.api.Assertions.assertThat;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.callibry.shared.media.Goertzel;
import org.callibry.shared.media.Rtcp;
import org.callibry.shared.media.RtpPacket;
import org.callibry.shared.media.TelephoneEvent;
import org.callibry.shared.media.Tones;
import org.callibry.shared.media.WavReader;
import org.callibry.shared.media.WavWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenarios on real UDP sockets on 127.0.0.1:
 * <ul>
 *   <li>two sessions play WAV tones to each other (440 Hz and 1000 Hz, PCMU) and record what they
 *       hear: each hears the other's tone, under 1 % lost; a digit sent by A reaches B's listener;</li>
 *   <li>latching: B's SDP names a port where A does not listen, A's packets come from its real port,
 *       and B's audio reaches A once B has latched (PCMA);</li>
 *   <li>RFC 4733 packets as a raw socket receives them, the RTP header fields, and an RTCP sender report;</li>
 *   <li>mute (stop sending) and hold stop the packets; resume starts them again with a marker.</li>
 * </ul>
 */
class RtpSessionIT {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int TELEPHONE_EVENT = 101;

    @TempDir
    Path dir;

    private Path toneFile(String name, double hz) throws Exception {
        Path file = dir.resolve(name);
        try (WavWriter w = new WavWriter(file, 8000, 1)) {
            w.write(Tones.sine(hz, 8000, 8000, 8000));
        }
        return file;
    }

    /** The fraction of 100 ms blocks (skipping the first 300 ms and the last 100 ms) whose energy is mostly {@code hz}. */
    private static double blocksWithTone(short[] samples, double hz) {
        int blocks = 0;
        int good = 0;
        for (int at = 2400; at + 800 <= samples.length - 800; at += 800) {
            blocks++;
            if (Goertzel.share(samples, at, 800, 8000, hz) > 0.8) {
                good++;
            }
        }
        return blocks == 0 ? 0 : (double) good / blocks;
    }

    @Test
    void twoSessionsHearEachOthersToneAndDtmfArrives() throws Exception {
        Path heardByA = dir.resolve("a-rx.wav");
        Path heardByB = dir.resolve("b-rx.wav");
        List<Character> digits = new CopyOnWriteArrayList<>();
        List<Integer> durations = new CopyOnWriteArrayList<>();
        long beforeDigit;
        try (RtpSession a = RtpSession.bind(LOOPBACK, 0); RtpSession b = RtpSession.bind(LOOPBACK, 0);
             WavFileSink sinkA = new WavFileSink(heardByA); WavFileSink sinkB = new WavFileSink(heardByB)) {
            assertThat(a.localPort() % 2).isZero();
            assertThat(a.localRtcpPort()).isEqualTo(a.localPort() + 1);
            b.addDtmfListener((digit, millis) -> {
                digits.add(digit);
                durations.add(millis);
            });
            a.start(new RtpSession.Parameters(new InetSocketAddress(LOOPBACK, b.localPort()), RtpSession.PCMU,
                    TELEPHONE_EVENT), WavFileSource.open(toneFile("440.wav", 440), true), sinkA);
            b.start(new RtpSession.Parameters(new InetSocketAddress(LOOPBACK, a.localPort()), RtpSession.PCMU,
                    TELEPHONE_EVENT), WavFileSource.open(toneFile("1000.wav", 1000), true), sinkB);
            Thread.sleep(2500);
            // while the digit is sent A sends no audio: B's recording is judged up to here
            beforeDigit = sinkB.samples();
            a.sendDigit('7', 100);
            Thread.sleep(500);

            RtpSession.Statistics sa = a.statistics();
            RtpSession.Statistics sb = b.statistics();
            assertThat(sa.packetsSent()).isBetween(140L, 160L);
            assertThat(sb.packetsReceived()).isGreaterThan(sa.packetsSent() - 5);
            assertThat(sb.packetsLost()).isLessThan(Math.max(1, sb.packetsReceived() / 100));
            assertThat(sa.packetsLost()).isLessThan(Math.max(1, sa.packetsReceived() / 100));
            assertThat(sb.latched()).isTrue();
            assertThat(b.jitterBufferStatistics().lost()).as("event packets are not audio loss").isLessThan(2);
            assertThat(sa.jitterMillis()).isLessThan(20);
            assertThat(sa.idleMillis()).isLessThan(200);
            assertThat(sa.rtcpSent()).isEqualTo(1);
            assertThat(sb.rtcpReceived()).isEqualTo(1);
            assertThat(sa.remoteReport()).as("B's report block about A's stream").isNotNull();
            assertThat(sa.remoteReport().cumulativeLost()).isZero();
        }
        assertThat(digits).containsExactly('7');
        assertThat(durations.getFirst()).isEqualTo(100);

        short[] a = WavReader.read(heardByA).samples();
        short[] b = java.util.Arrays.copyOf(WavReader.read(heardByB).samples(), (int) beforeDigit);
        assertThat(a.length).isGreaterThan(8000 * 2);
        assertThat(blocksWithTone(a, 1000)).as("A hears B's 1000 Hz").isGreaterThan(0.9);
        assertThat(blocksWithTone(b, 440)).as("B hears A's 440 Hz").isGreaterThan(0.9);
        assertThat(Goertzel.share(a, 2400, 8000, 8000, 440)).isLessThan(0.05);
    }

    @Test
    void latchesOntoTheAddressPacketsComeFrom() throws Exception {
        Path heardByA = dir.resolve("a-rx.wav");
        int announced;
        try (DatagramSocket nobody = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            announced = nobody.getLocalPort(); // A "announces" a port where nothing will listen
        }
        try (RtpSession a = RtpSession.bind(LOOPBACK, 0); RtpSession b = RtpSession.bind(LOOPBACK, 0);
             WavFileSink sinkA = new WavFileSink(heardByA); WavFileSink sinkB = new WavFileSink(dir.resolve("b.wav"))) {
            b.start(new RtpSession.Parameters(new InetSocketAddress(LOOPBACK, announced), RtpSession.PCMA, -1),
                    new ToneSource(8000, 1000), sinkB);
            Thread.sleep(200);
            assertThat(b.statistics().latched()).isFalse();
            a.start(new RtpSession.Parameters(new InetSocketAddress(LOOPBACK, b.localPort()), RtpSession.PCMA, -1),
                    new ToneSource(8000, 440), sinkA);
            Thread.sleep(1500);
            RtpSession.Statistics sb = b.statistics();
            assertThat(sb.latched()).isTrue();
            assertThat(b.jitterBufferStatistics().lost()).as("event packets are not audio loss").isLessThan(2);
            assertThat(sb.remote()).isEqualTo(new InetSocketAddress(LOOPBACK, a.localPort()));
            assertThat(a.statistics().packetsReceived()).isGreaterThan(50);
        }
        short[] a = WavReader.read(heardByA).samples();
        assertThat(blocksWithTone(a, 1000)).isGreaterThan(0.9);
    }

    @Test
    void sendsRfc4733EventsAndRtcpOnTheWire() throws Exception {
        DatagramSocket peer = null;
        DatagramSocket peerRtcp = null;
        for (int i = 0; i < 50 && peerRtcp == null; i++) {
            peer = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
            try {
                peerRtcp = new DatagramSocket(new InetSocketAddress(LOOPBACK, peer.getLocalPort() + 1));
            } catch (java.net.SocketException e) {
                peer.close();
            }
        }
        try (DatagramSocket rtp = peer; DatagramSocket rtcp = peerRtcp;
             RtpSession a = RtpSession.bind(LOOPBACK, 0)) {
            rtp.setSoTimeout(2000);
            a.start(new RtpSession.Parameters((InetSocketAddress) rtp.getLocalSocketAddress(), RtpSession.PCMU,
                    TELEPHONE_EVENT), new SilenceSource(), frame -> { });
            List<RtpPacket> packets = new ArrayList<>();
            byte[] buf = new byte[2048];
            for (int i = 0; i < 5; i++) {
                DatagramPacket d = new DatagramPacket(buf, buf.length);
                rtp.receive(d);
                packets.add(RtpPacket.decode(d.getData(), 0, d.getLength()));
            }
            a.sendDigit('#', 100);
            while (packets.size() < 40) {
                DatagramPacket d = new DatagramPacket(buf, buf.length);
                rtp.receive(d);
                packets.add(RtpPacket.decode(d.getData(), 0, d.getLength()));
            }

            RtpPacket first = packets.getFirst();
            assertThat(first.marker()).as("talkspurt start").isTrue();
            assertThat(first.payload()).hasSize(160);
            for (int i = 1; i < packets.size(); i++) {
                assertThat(packets.get(i).sequence()).isEqualTo((first.sequence() + i) & 0xFFFF);
                assertThat(packets.get(i).ssrc()).isEqualTo(a.ssrc());
            }
            assertThat(packets.subList(1, 5)).noneMatch(RtpPacket::marker);
            assertThat(packets.subList(1, 5)).extracting(p -> p.timestamp() - first.timestamp())
                    .containsExactly(160L, 320L, 480L, 640L);

            List<RtpPacket> events = packets.stream().filter(p -> p.payloadType() == TELEPHONE_EVENT).toList();
            assertThat(events).hasSize(7);
            assertThat(events).extracting(RtpPacket::marker).containsExactly(true, false, false, false, false, false, false);
            assertThat(events).extracting(RtpPacket::timestamp).containsOnly(events.getFirst().timestamp());
            List<TelephoneEvent> payloads = events.stream().map(p -> TelephoneEvent.decode(p.payload(), 0, 4)).toList();
            assertThat(payloads).extracting(TelephoneEvent::digit).containsOnly('#');
            assertThat(payloads).extracting(TelephoneEvent::duration).containsExactly(160, 320, 480, 640, 800, 800, 800);
            assertThat(payloads).extracting(TelephoneEvent::end).containsExactly(false, false, false, false, true, true, true);
            int firstEvent = packets.indexOf(events.getFirst());
            // audio stops while the event is sent and resumes with the media clock
            assertThat(packets.subList(firstEvent, firstEvent + 7)).allMatch(p -> p.payloadType() == TELEPHONE_EVENT);
            RtpPacket after = packets.get(firstEvent + 7);
            assertThat(after.payloadType()).isEqualTo(RtpSession.PCMU);
            assertThat(after.timestamp() - events.getFirst().timestamp()).isEqualTo(7 * 160L);

            rtcp.setSoTimeout(4000);
            DatagramPacket d = new DatagramPacket(buf, buf.length);
            rtcp.receive(d);
            assertThat(buf[0] & 0xC0).isEqualTo(0x80);
            assertThat(buf[1] & 0xFF).isEqualTo(Rtcp.SR);
            assertThat((int) Rtcp.read32(buf, 4)).isEqualTo(a.ssrc());
            int srLength = 4 * (((buf[2] & 0xFF) << 8 | (buf[3] & 0xFF)) + 1);
            assertThat(srLength).isEqualTo(28);
            assertThat(buf[srLength + 1] & 0xFF).isEqualTo(Rtcp.SDES);
            assertThat(Rtcp.read32(buf, 20)).as("sender's packet count").isGreaterThan(100);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no packet from the session", e);
        }
    }

    @Test
    void takesRtcpMultiplexedOnTheRtpPort() throws Exception {
        try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
             RtpSession a = RtpSession.bind(LOOPBACK, 0)) {
            a.start(new RtpSession.Parameters((InetSocketAddress) peer.getLocalSocketAddress(), RtpSession.PCMU, -1),
                    new SilenceSource(), frame -> { });
            Rtcp.ReportBlock aboutA = new Rtcp.ReportBlock(a.ssrc(), 128, 9, 0, 16, 0, 0);
            byte[] report = Rtcp.report(0x5151, System.currentTimeMillis(), 0, 10, 1600, aboutA, "peer");
            peer.send(new DatagramPacket(report, report.length, a.localAddress()));
            long deadline = System.nanoTime() + 1_000_000_000L;
            while (a.statistics().remoteReport() == null && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            RtpSession.Statistics s = a.statistics();
            assertThat(s.rtcpReceived()).isEqualTo(1);
            assertThat(s.packetsReceived()).isZero();
            assertThat(s.remoteReport().fractionLost()).isEqualTo(0.5);
            assertThat(s.remoteReport().cumulativeLost()).isEqualTo(9);
            assertThat(s.remoteReport().jitterMillis()).isEqualTo(2.0);
            assertThat(s.remoteReport().roundTripMillis()).isEqualTo(-1);
        }
    }

    @Test
    void playerCopiesASourceToASinkEveryTwentyMilliseconds() throws Exception {
        List<short[]> frames = new CopyOnWriteArrayList<>();
        try (AudioPlayer player = AudioPlayer.start(Ringer.ringback(), frames::add)) {
            Thread.sleep(300);
            player.setSource(new SilenceSource());
            Thread.sleep(100);
        }
        assertThat(frames.size()).isBetween(18, 23);
        assertThat(Goertzel.share(frames.get(2), 0, 160, 8000, 425)).isGreaterThan(0.8);
        assertThat(frames.getLast()).containsOnly((short) 0);
    }

    @Test
    void theSdpDirectionDecidesWhatIsSentAndPlayed() throws Exception {
        java.util.concurrent.atomic.AtomicInteger played = new java.util.concurrent.atomic.AtomicInteger();
        try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
             RtpSession a = RtpSession.bind(LOOPBACK, 0)) {
            a.start(new RtpSession.Parameters((InetSocketAddress) peer.getLocalSocketAddress(), RtpSession.PCMU, -1),
                    new ToneSource(8000, 440), frame -> played.incrementAndGet());
            a.setDirection(RtpSession.Direction.SENDONLY);
            Thread.sleep(60);
            long sent = a.statistics().packetsSent();
            int frames = played.get();
            Thread.sleep(200);
            assertThat(a.statistics().packetsSent()).isGreaterThan(sent + 5);
            assertThat(played.get()).isEqualTo(frames);

            a.setDirection(RtpSession.Direction.RECVONLY);
            Thread.sleep(60);
            sent = a.statistics().packetsSent();
            frames = played.get();
            Thread.sleep(200);
            assertThat(a.statistics().packetsSent()).isEqualTo(sent);
            assertThat(played.get()).isGreaterThan(frames + 5);
        }
    }

    @Test
    void muteAndHoldStopTheStreamAndResumeWithAMarker() throws Exception {
        try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
             RtpSession a = RtpSession.bind(LOOPBACK, 0)) {
            a.start(new RtpSession.Parameters((InetSocketAddress) peer.getLocalSocketAddress(), RtpSession.PCMU, -1),
                    new ToneSource(8000, 440), frame -> { });
            Thread.sleep(200);
            a.setMuteMode(RtpSession.MuteMode.STOP_SENDING);
            a.setMuted(true);
            Thread.sleep(100);
            long muted = a.statistics().packetsSent();
            Thread.sleep(200);
            assertThat(a.statistics().packetsSent()).isEqualTo(muted);
            a.setMuted(false);
            a.setHold(true);
            Thread.sleep(100);
            long held = a.statistics().packetsSent();
            Thread.sleep(200);
            assertThat(a.statistics().packetsSent()).isEqualTo(held);

            peer.setSoTimeout(1000);
            byte[] buf = new byte[2048];
            DatagramPacket d = new DatagramPacket(buf, buf.length);
            // drain what was sent before muting
            peer.setSoTimeout(50);
            try {
                while (true) {
                    peer.receive(d);
                }
            } catch (SocketTimeoutException drained) {
                // nothing left
            }
            peer.setSoTimeout(1000);
            a.setHold(false);
            peer.receive(d);
            assertThat(RtpPacket.decode(buf, 0, d.getLength()).marker()).isTrue();

            a.setMuteMode(RtpSession.MuteMode.SEND_SILENCE);
            a.setMuted(true);
            Thread.sleep(100);
            long silent = a.statistics().packetsSent();
            Thread.sleep(200);
            assertThat(a.statistics().packetsSent()).isGreaterThan(silent + 5);
        }
    }
}

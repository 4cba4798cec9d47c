package org.callibry.shared.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Scenarios (RFC 3550 §6): an SR with a report block and an SDES CNAME on the wire, an RR before
 * anything was sent, the report block about us and the SR time read back, NTP time, garbage ignored.
 */
class RtcpTest {
    private static final int US = 0x11111111;
    private static final int PEER = 0x22222222;

    @Test
    void writesASenderReportWithAReportBlockAndTheCname() {
        Rtcp.ReportBlock block = new Rtcp.ReportBlock(PEER, 64, 3, 0x1_0005L, 40, 0xAABBCCDDL, 0x10000);
        byte[] p = Rtcp.report(US, 0, 0x01020304L, 250, 40_000, block, "me@x");
        // SR: V=2, RC=1, PT=200, length 12 (13 words)
        assertThat(Arrays.copyOfRange(p, 0, 4)).containsExactly(0x81, 200, 0, 12);
        assertThat((int) Rtcp.read32(p, 4)).isEqualTo(US);
        assertThat(Rtcp.read32(p, 8)).as("NTP seconds of 1970-01-01").isEqualTo(2_208_988_800L);
        assertThat(Rtcp.read32(p, 16)).isEqualTo(0x01020304L);
        assertThat(Rtcp.read32(p, 20)).isEqualTo(250);
        assertThat(Rtcp.read32(p, 24)).isEqualTo(40_000);
        assertThat((int) Rtcp.read32(p, 28)).isEqualTo(PEER);
        assertThat(Arrays.copyOfRange(p, 32, 36)).containsExactly(64, 0, 0, 3);
        // SDES: V=2, SC=1, PT=202; chunk SSRC, CNAME(1) len 4 "me@x", then null padding to a word
        assertThat(Arrays.copyOfRange(p, 52, 56)).containsExactly(0x81, 202, 0, 3);
        assertThat(p[60]).isEqualTo((byte) 1);
        assertThat(p[61]).isEqualTo((byte) 4);
        assertThat(new String(p, 62, 4, StandardCharsets.UTF_8)).isEqualTo("me@x");
        assertThat(p).hasSize(68);
        assertThat(Arrays.copyOfRange(p, 66, 68)).containsOnly(0);
    }

    @Test
    void writesAReceiverReportBeforeAnythingWasSent() {
        byte[] p = Rtcp.report(US, 0, 0, 0, 0, null, "me");
        assertThat(Arrays.copyOfRange(p, 0, 4)).containsExactly(0x80, 201, 0, 1);
        assertThat(p[9] & 0xFF).isEqualTo(202);
    }

    @Test
    void readsBackTheSenderTimeAndTheBlockAboutUs() {
        Rtcp.ReportBlock aboutUs = new Rtcp.ReportBlock(US, 26, 7, 0x2_0010L, 80, 0x12345678L, 0x8000);
        long wall = 1_700_000_000_123L;
        byte[] p = Rtcp.report(PEER, wall, 5, 10, 1600, aboutUs, "peer");
        Rtcp.Received r = Rtcp.parse(p, 0, p.length, US);
        assertThat(r.aboutUs()).isEqualTo(aboutUs);
        assertThat(r.senderReport().ssrc()).isEqualTo(PEER);
        assertThat(r.senderReport().ntpMiddle32()).isEqualTo((Rtcp.ntp(wall) >>> 16) & 0xFFFF_FFFFL);
        assertThat(Rtcp.parse(p, 0, p.length, 0x33333333).aboutUs()).isNull();
    }

    @Test
    void ignoresWhatIsNotRtcp() {
        byte[] junk = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07};
        assertThat(Rtcp.parse(junk, 0, junk.length, US)).isEqualTo(new Rtcp.Received(null, null));
        byte[] cut = Arrays.copyOf(Rtcp.report(US, 0, 0, 1, 1, null, "x"), 10);
        assertThat(Rtcp.parse(cut, 0, cut.length, US).senderReport()).isNull();
    }
}

package org.callibry.softphone.phone;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.callibry.softphone.settings.Settings;
import org.callibry.softphone.sip.SipTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keypad against a SIPp callee behind the server (a gateway route, media relayed): digits go as
 * RFC 4733 events in the RTP stream (decoded here, at the media address the callee's SDP gives) and,
 * with the SIP INFO setting, as {@code application/dtmf-relay} INFO requests (checked and logged by
 * the SIPp scenario {@code uas-dtmf.xml}).
 */
class SippDtmfIT {
    private static final char[] EVENTS = "0123456789*#ABCD".toCharArray();

    @TempDir
    Path dir;

    private void await(String what, BooleanSupplier condition) throws Exception {
        long deadline = System.currentTimeMillis() + 15_000;
        while (!condition.getAsBoolean() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        if (!condition.getAsBoolean()) {
            Path out = dir.resolve("sipp.out");
            throw new AssertionError("not " + what + "; calls " + handsets.stream().map(TestHandset::calls).toList() + "\nsipp:\n" + (Files.exists(out) ? Files.readString(out) : ""));
        }
    }

    /** Both phones, for the failure messages. */
    private final List<TestHandset> handsets = new CopyOnWriteArrayList<>();

    /** RFC 4733 digits arriving at a socket: one per event (its end packets are sent three times). */
    private static final class EventReceiver implements AutoCloseable {
        final DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        final List<Character> digits = new CopyOnWriteArrayList<>();

        EventReceiver() throws SocketException {
            Thread.ofPlatform().daemon().start(() -> {
                byte[] buf = new byte[1500];
                long lastTimestamp = -1;
                try {
                    while (true) {
                        DatagramPacket p = new DatagramPacket(buf, buf.length);
                        socket.receive(p);
                        int payloadType = buf[1] & 0x7f;
                        long timestamp = ((buf[4] & 0xffL) << 24) | ((buf[5] & 0xff) << 16) | ((buf[6] & 0xff) << 8) | (buf[7] & 0xff);
                        boolean end = (buf[13] & 0x80) != 0;
                        if (payloadType == 101 && p.getLength() >= 16 && end && timestamp != lastTimestamp) {
                            lastTimestamp = timestamp;
                            digits.add(EVENTS[buf[12] & 0x0f]);
                        }
                    }
                } catch (java.io.IOException closed) {
                    // the test is over
                }
            });
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    private TestHandset phone(String number, boolean dtmfInfo, SipTestServer server) throws Exception {
        TestHandset h = TestHandset.create(dir.resolve(number), 440);
        h.phone().register(Settings.defaults().withServer("127.0.0.1:" + server.sipPort).withUser(number)
                .withPassword(SipTestServer.PASSWORD).withDtmfInfo(dtmfInfo));
        handsets.add(h);
        return h;
    }

    /** The digits SIPp logged from the INFO requests it took ("INFO digit 5 from Signal=5"). */
    private static List<String> infoDigits(Path sippLog) {
        List<String> digits = new ArrayList<>();
        try {
            if (!Files.exists(sippLog)) {
                return digits;
            }
            for (String line : Files.readAllLines(sippLog)) {
                int at = line.indexOf("INFO digit ");
                if (at >= 0) {
                    String rest = line.substring(at + "INFO digit ".length());
                    digits.add(rest.substring(0, Math.max(0, rest.indexOf(" from "))).strip());
                }
            }
        } catch (java.io.IOException e) {
            // read again on the next try
        }
        return digits;
    }

    @Test
    void digitsReachASippCalleeInTheRtpStreamAndBySipInfo() throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/sipp"))) {
            throw new AssertionError("sipp is not installed: run scripts/test.sh, which installs the Debian package sip-tester");
        }
        try (SipTestServer server = SipTestServer.start(dir.resolve("server"));
             EventReceiver media = new EventReceiver()) {
            server.account("1731", "Keypad RTP");
            server.account("1732", "Keypad INFO");
            int sippPort = SipTestServer.freePort();
            server.gatewayRoute("7799", sippPort);
            Path sippLog = dir.resolve("sipp-messages.log");
            Path scenario = Path.of(SippDtmfIT.class.getResource("/sipp/uas-dtmf.xml").toURI());
            Process sipp = new ProcessBuilder("/usr/bin/sipp", "-sf", scenario.toString(), "-i", "127.0.0.1", "-p",
                    Integer.toString(sippPort), "-m", "2", "-nostdin", "-key", "rtpport", Integer.toString(media.socket.getLocalPort()),
                    "-trace_logs", "-log_file", sippLog.toString(), "-recv_timeout", "20000", "-timeout", "60s", "-timeout_error")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("sipp.out").toFile()).directory(dir.toFile()).start();
            TestHandset rtp = phone("1731", false, server);
            TestHandset info = phone("1732", true, server);
            try {
                await("registered", () -> rtp.registered() && info.registered());

                rtp.phone().dial("7799");
                await("the callee answered", () -> rtp.state() == Phone.CallState.ACTIVE);
                Thread.sleep(500); // media flowing
                for (char d : "19*#".toCharArray()) {
                    rtp.phone().sendDigit(d);
                    Thread.sleep(300);
                }
                await("four digits in the RTP stream", () -> media.digits.size() >= 4);
                rtp.phone().hangup();
                await("ended", () -> rtp.state() == Phone.CallState.ENDED);

                info.phone().dial("7799");
                await("the callee answered", () -> info.state() == Phone.CallState.ACTIVE);
                for (char d : "58#".toCharArray()) {
                    info.phone().sendDigit(d);
                }
                // INFO one after another, each waiting for its 200: hang up once SIPp logged all three
                await("three INFO at SIPp", () -> infoDigits(sippLog).size() >= 3);
                info.phone().hangup();
                await("ended", () -> info.state() == Phone.CallState.ENDED);
                assertThat(sipp.waitFor(30, TimeUnit.SECONDS)).as("sipp finished its two calls").isTrue();
            } finally {
                rtp.phone().close();
                info.phone().close();
                sipp.destroy();
            }
            String out = Files.readString(dir.resolve("sipp.out"));
            assertThat(sipp.exitValue()).as("sipp's scenario passed (exit 0):\n" + out).isZero();
            assertThat(media.digits).as("RFC 4733 events at the callee's media address").containsExactly('1', '9', '*', '#');
            List<String> infoDigits = infoDigits(sippLog);
            assertThat(infoDigits).as("SIP INFO digits at the SIPp callee").containsExactly("5", "8", "#");
        }
    }
}

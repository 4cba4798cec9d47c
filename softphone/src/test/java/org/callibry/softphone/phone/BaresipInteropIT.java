package org.callibry.softphone.phone;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import org.callibry.shared.api.dto.Accounts;
import org.callibry.shared.media.Goertzel;
import org.callibry.shared.media.Tones;
import org.callibry.shared.media.WavReader;
import org.callibry.shared.media.WavWriter;
import org.callibry.softphone.sip.SipTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The softphone (the complete {@link SipPhone}, WAV files for microphone and speaker) and baresip, an
 * independent SIP phone, call each other through the packaged server in both directions: each hears
 * the other's tone (440 Hz from the softphone, 1000 Hz from baresip).
 */
class BaresipInteropIT {
    private static final int SOFTPHONE_HZ = 440;
    private static final int BARESIP_HZ = 1000;

    @TempDir
    Path dir;

    private static void await(String what, BooleanSupplier condition, Object context) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        while (!condition.getAsBoolean() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(condition.getAsBoolean()).as(() -> what + "\n" + context).isTrue();
    }

    private Path tone(String name, int hz) throws Exception {
        Path file = dir.resolve(name);
        try (WavWriter w = new WavWriter(file, 8000, 1)) {
            w.write(Tones.sine(hz, 8000, 8000, 8000 * 30));
        }
        return file;
    }

    private TestHandset softphone(String number, SipTestServer server) throws Exception {
        return TestHandset.registering(dir.resolve("softphone"), SOFTPHONE_HZ, server, number);
    }

    private static String account(String number, SipTestServer server, String parameters) {
        return "<sip:" + number + "@127.0.0.1:" + server.sipPort + ">;auth_pass=" + SipTestServer.PASSWORD + ";" + parameters;
    }

    /** The tone {@code hz} carries at least ten times the power of {@code other} in what was heard. */
    private static void assertClearly(WavReader.Wav heard, int hz, int other, String who) {
        short[] x = heard.channel(0);
        assertThat(Goertzel.power(x, heard.sampleRate(), hz)).as(who + " hears " + hz + " Hz clearly above " + other + " Hz")
                .isGreaterThan(10 * Goertzel.power(x, heard.sampleRate(), other));
    }

    private static void assertBothHeard(TestHandset softphone, BaresipPhone baresip) throws Exception {
        WavReader.Wav softphoneHeard = WavReader.read(softphone.heard());
        assertThat(softphoneHeard.frames()).as("the softphone heard about 3 s").isGreaterThan(softphoneHeard.sampleRate() * 2);
        assertThat(Goertzel.dominant(softphoneHeard.channel(0), softphoneHeard.sampleRate(), SOFTPHONE_HZ, BARESIP_HZ))
                .as("the softphone hears baresip's 1000 Hz").isEqualTo(BARESIP_HZ);
        assertClearly(softphoneHeard, BARESIP_HZ, SOFTPHONE_HZ, "the softphone");

        Path dump = baresip.heard().orElseThrow(() -> new AssertionError("baresip wrote no dump-*-dec.wav:\n" + baresip.log()));
        WavReader.Wav baresipHeard = WavReader.read(dump);
        assertThat(baresipHeard.frames()).as("baresip heard about 3 s: " + baresip.log())
                .isGreaterThan(baresipHeard.sampleRate() * 2);
        assertThat(Goertzel.dominant(baresipHeard.channel(0), baresipHeard.sampleRate(), SOFTPHONE_HZ, BARESIP_HZ))
                .as("baresip hears the softphone's 440 Hz").isEqualTo(SOFTPHONE_HZ);
        assertClearly(baresipHeard, SOFTPHONE_HZ, BARESIP_HZ, "baresip");
    }

    @Test
    void softphoneCallsBaresip() throws Exception {
        try (SipTestServer server = SipTestServer.start(dir.resolve("server"))) {
            server.account("1801", "Softphone");
            Accounts.Account bob = server.account("1802", "Baresip");
            Path bobSays = tone("baresip-says.wav", BARESIP_HZ);
            try (BaresipPhone baresip = BaresipPhone.start(dir.resolve("baresip"), account("1802", server, "answermode=auto"),
                    bobSays, 25)) {
                TestHandset softphone = softphone("1801", server);
                try {
                    await("baresip registered", () -> server.online(bob.id()), baresip.log());
                    await("softphone registered", softphone::registered, softphone.registrations());
                    softphone.phone().dial("1802");
                    await("baresip answers at once", () -> softphone.state() == Phone.CallState.ACTIVE,
                            softphone.calls() + "\n" + baresip.log());
                    Thread.sleep(3000);
                    softphone.phone().hangup();
                    await("call ended", () -> softphone.state() == Phone.CallState.ENDED, softphone.calls());
                    Thread.sleep(500);
                } finally {
                    softphone.phone().close();
                }
                baresip.close(); // SIGTERM: baresip closes its recording
                assertBothHeard(softphone, baresip);
            }
        }
    }

    @Test
    void baresipCallsSoftphone() throws Exception {
        try (SipTestServer server = SipTestServer.start(dir.resolve("server"))) {
            server.account("1803", "Softphone");
            server.account("1804", "Baresip");
            TestHandset softphone = softphone("1803", server);
            try {
                await("softphone registered", softphone::registered, softphone.registrations());
                Path aliceSays = tone("baresip-says.wav", BARESIP_HZ);
                try (BaresipPhone baresip = BaresipPhone.start(dir.resolve("baresip"), account("1804", server, "regint=0"),
                        aliceSays, 25, "/dial sip:1803@127.0.0.1:" + server.sipPort)) {
                    await("the softphone rings", () -> softphone.state() == Phone.CallState.RINGING,
                            softphone.calls() + "\n" + baresip.log());
                    assertThat(softphone.calls().getLast().incoming()).isTrue();
                    assertThat(softphone.calls().getLast().peer()).isEqualTo("1804");
                    softphone.phone().answer();
                    await("talking", () -> softphone.state() == Phone.CallState.ACTIVE, softphone.calls() + "\n" + baresip.log());
                    Thread.sleep(3000);
                    softphone.phone().hangup();
                    await("call ended", () -> softphone.state() == Phone.CallState.ENDED, softphone.calls());
                    Thread.sleep(500);
                    baresip.close();
                    assertBothHeard(softphone, baresip);
                }
            } finally {
                softphone.phone().close();
            }
        }
    }
}

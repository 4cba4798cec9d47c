package org.callibry.server.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.callibry.server.api.ApiTestSupport;
import org.callibry.server.testing.Baresip;
import org.callibry.shared.api.client.CallibryClient;
import org.callibry.shared.api.dto.Accounts;
import org.callibry.shared.api.dto.Domains;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Two real softphones (baresip) register with digest and call each other through the server; each
 * sends its own tone and the WAV the other writes contains that tone: signaling through the proxy and
 * media end to end through the RTP relay (the route's default).
 */
class BaresipCallIT extends ApiTestSupport {
    @TempDir
    Path tmp;

    @Test
    void twoBaresipsTalkThroughTheServer() throws Exception {
        CallibryClient admin = admin();
        Domains.Domain demo = admin.domains().list(new Domains.ListParams(null, "demo.callibry.test", null, null)).items().getFirst();
        int n = 10_000 + (int) (Math.random() * 80_000);
        Accounts.Account a = admin.accounts().create(new Accounts.Create(demo.id(), "5" + n, "Alice", PASSWORD, null));
        Accounts.Account b = admin.accounts().create(new Accounts.Create(demo.id(), "6" + n, "Bob", PASSWORD, null));
        Map<String, Object> route = new LinkedHashMap<>();
        route.put("name", unique("baresip"));
        route.put("priority", 1);
        route.put("bNumberMask", "^" + b.number() + "$");
        route.put("destinationType", "LOCAL");
        admin.call("route.create", route, JsonNode.class);

        double relayedBefore = metric("callibry_media_relay_packets_total");
        Path toneA = tone(tmp.resolve("a.wav"), 440, 12);
        Path toneB = tone(tmp.resolve("b.wav"), 1000, 12);
        String server = "127.0.0.1:" + SIP_PORT;
        try (Baresip bob = Baresip.start(tmp.resolve("bob"), "<sip:" + b.number() + "@" + server + ">;auth_pass=" + PASSWORD
                + ";answermode=auto", toneB, 14, null)) {
            long deadline = System.currentTimeMillis() + 10_000;
            while (!admin.accounts().get(b.id()).online() && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
            assertThat(admin.accounts().get(b.id()).online()).as("bob registered: " + bob.log()).isTrue();
            try (Baresip alice = Baresip.start(tmp.resolve("alice"), "<sip:" + a.number() + "@" + server + ">;auth_pass="
                    + PASSWORD + ";regint=0", toneA, 10, "/dial sip:" + b.number() + "@" + server)) {
                assertThat(alice.waitFor(30)).isTrue();
                assertThat(bob.waitFor(30)).isTrue();
                assertThat(dominant(bob.received(), 440, 1000)).as("bob hears alice's 440 Hz: " + bob.log()).isEqualTo(440);
                assertThat(dominant(alice.received(), 440, 1000)).as("alice hears bob's 1000 Hz: " + alice.log()).isEqualTo(1000);
            }
            // routes relay media by default: the audio went through the relay, both ways (50 packets/s each)
            assertThat(metric("callibry_media_relay_packets_total") - relayedBefore).isGreaterThan(400);
            assertThat(metric("callibry_media_relay_calls")).as("relay released at hang-up").isZero();
        }
    }

    /** Writes {@code seconds} of a sine at {@code hz}, 8 kHz 16-bit mono. */
    static Path tone(Path file, int hz, int seconds) throws IOException {
        int samples = 8000 * seconds;
        ByteBuffer pcm = ByteBuffer.allocate(samples * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < samples; i++) {
            pcm.putShort((short) (9000 * Math.sin(2 * Math.PI * hz * i / 8000.0)));
        }
        AudioFormat format = new AudioFormat(8000, 16, 1, true, false);
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(pcm.array()), format, samples)) {
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, file.toFile());
        }
        return file;
    }

    /** Which of the two frequencies carries more energy in the file (Goertzel over all samples). */
    static int dominant(Path wav, int f1, int f2) throws Exception {
        assertThat(wav).as("received audio written").exists();
        try (AudioInputStream in = AudioSystem.getAudioInputStream(wav.toFile())) {
            AudioFormat f = in.getFormat();
            byte[] data = in.readAllBytes();
            int channels = f.getChannels();
            int frames = data.length / (2 * channels);
            assertThat(frames).as("received audio is not empty").isGreaterThan((int) f.getSampleRate());
            double[] x = new double[frames];
            ByteBuffer bb = ByteBuffer.wrap(data).order(f.isBigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < frames; i++) {
                x[i] = bb.getShort(i * 2 * channels);
            }
            double p1 = goertzel(x, f1, f.getSampleRate());
            double p2 = goertzel(x, f2, f.getSampleRate());
            return p1 > p2 * 10 ? f1 : p2 > p1 * 10 ? f2 : -1;
        }
    }

    private static double goertzel(double[] x, double hz, double rate) {
        double coeff = 2 * Math.cos(2 * Math.PI * hz / rate);
        double s1 = 0;
        double s2 = 0;
        for (double v : x) {
            double s = v + coeff * s1 - s2;
            s2 = s1;
            s1 = s;
        }
        return s1 * s1 + s2 * s2 - coeff * s1 * s2;
    }

}

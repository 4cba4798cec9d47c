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
import org.callibry.server.testing.Audio;
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
        Path toneA = Audio.tone(tmp.resolve("a.wav"), 440, 12);
        Path toneB = Audio.tone(tmp.resolve("b.wav"), 1000, 12);
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
                assertThat(Audio.dominant(bob.received(), 440, 1000)).as("bob hears alice's 440 Hz: " + bob.log()).isEqualTo(440);
                assertThat(Audio.dominant(alice.received(), 440, 1000)).as("alice hears bob's 1000 Hz: " + alice.log()).isEqualTo(1000);
            }
            // routes relay media by default: the audio went through the relay, both ways (50 packets/s each)
            assertThat(metric("callibry_media_relay_packets_total") - relayedBefore).isGreaterThan(400);
            assertThat(metric("callibry_media_relay_calls")).as("relay released at hang-up").isZero();
        }
    }
}

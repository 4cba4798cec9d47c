package org.callibry.server.sip;

import static org.assertj.core.api.Assertions.assertThat;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.callibry.server.api.ApiTestSupport;
import org.callibry.server.testing.Audio;
import org.callibry.server.testing.Baresip;
import org.callibry.shared.api.client.CallibryClient;
import org.callibry.shared.api.dto.Accounts;
import org.callibry.shared.api.dto.Cdrs;
import org.callibry.shared.api.dto.Domains;
import org.callibry.shared.api.dto.Recordings;
import org.callibry.shared.media.Goertzel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Two real softphones (baresip) register with digest and call each other through the server; each
 * sends its own tone and the WAV the other writes contains that tone: signaling through the proxy and
 * media end to end through the RTP relay (the route's default). Scenarios: a plain call through the
 * relay; a call on a route with the option <em>record</em>, whose recording is catalogued with the
 * call's numbers, linked from its CDR, and holds both parties' tones as MP3.
 */
class BaresipCallIT extends ApiTestSupport {
    @TempDir
    Path tmp;

    /** Two new accounts of the demo tenant; a route to the second with {@code options}. */
    private record Parties(CallibryClient admin, Domains.Domain demo, Accounts.Account a, Accounts.Account b) {
    }

    private Parties parties(Map<String, Object> options) {
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
        route.putAll(options);
        admin.call("route.create", route, JsonNode.class);
        return new Parties(admin, demo, a, b);
    }

    /** Alice (440 Hz) calls Bob (1000 Hz, auto-answer) for about ten seconds; each must hear the other. */
    private void talk(Parties p) throws Exception {
        Path toneA = Audio.tone(tmp.resolve("a.wav"), 440, 12);
        Path toneB = Audio.tone(tmp.resolve("b.wav"), 1000, 12);
        String server = "127.0.0.1:" + SIP_PORT;
        try (Baresip bob = Baresip.start(tmp.resolve("bob"), "<sip:" + p.b().number() + "@" + server + ">;auth_pass=" + PASSWORD
                + ";answermode=auto", toneB, 14, null)) {
            long deadline = System.currentTimeMillis() + 10_000;
            while (!p.admin().accounts().get(p.b().id()).online() && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
            assertThat(p.admin().accounts().get(p.b().id()).online()).as("bob registered: " + bob.log()).isTrue();
            try (Baresip alice = Baresip.start(tmp.resolve("alice"), "<sip:" + p.a().number() + "@" + server + ">;auth_pass="
                    + PASSWORD + ";regint=0", toneA, 10, "/dial sip:" + p.b().number() + "@" + server)) {
                assertThat(alice.waitFor(30)).isTrue();
                assertThat(bob.waitFor(30)).isTrue();
                assertThat(Audio.dominant(bob.received(), 440, 1000)).as("bob hears alice's 440 Hz: " + bob.log()).isEqualTo(440);
                assertThat(Audio.dominant(alice.received(), 440, 1000)).as("alice hears bob's 1000 Hz: " + alice.log()).isEqualTo(1000);
            }
        }
    }

    @Test
    void twoBaresipsTalkThroughTheServer() throws Exception {
        Parties p = parties(Map.of());
        double relayedBefore = metric("callibry_media_relay_packets_total");
        talk(p);
        // routes relay media by default: the audio went through the relay, both ways (50 packets/s each)
        assertThat(metric("callibry_media_relay_packets_total") - relayedBefore).isGreaterThan(400);
        assertThat(metric("callibry_media_relay_calls")).as("relay released at hang-up").isZero();
    }

    @Test
    void aRecordedRouteRecordsBothPartiesAndLinksTheRecordingFromTheCdr() throws Exception {
        Parties p = parties(Map.of("recordCall", true));
        talk(p);

        Cdrs.Cdr cdr = null;
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            var found = p.admin().cdrs(new Cdrs.SearchParams(p.a().number(), null, Cdrs.Match.EXACT, null, null, null, null, null,
                    null, null)).items();
            if (!found.isEmpty() && found.getFirst().recordingId() != null) {
                cdr = found.getFirst();
                break;
            }
            Thread.sleep(200);
        }
        assertThat(cdr).as("the call's CDR, linked to its recording").isNotNull();
        assertThat(cdr.disposition()).isEqualTo(Cdrs.Disposition.ANSWERED);

        Recordings.Recording rec = p.admin().recordings().get(cdr.recordingId());
        while (rec.state() == Recordings.State.CONVERTING && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            rec = p.admin().recordings().get(cdr.recordingId());
        }
        assertThat(rec.state()).isEqualTo(Recordings.State.READY);
        assertThat(rec.callId()).isEqualTo(cdr.callId());
        assertThat(rec.aNumber()).isEqualTo(p.a().number());
        assertThat(rec.bNumber()).isEqualTo(p.b().number());
        assertThat(rec.tenantId()).isEqualTo(p.demo().tenantId());
        short[] pcm = Audio.mp3ToMono(p.admin().downloadRecording(rec.id()));
        assertThat(pcm.length).as("decoded MP3, 8 kHz, most of the ten seconds").isGreaterThan(8000 * 5);
        assertThat(Goertzel.share(pcm, 0, pcm.length, 8000, 440)).as("alice's tone in the recording").isGreaterThan(0.1);
        assertThat(Goertzel.share(pcm, 0, pcm.length, 8000, 1000)).as("bob's tone in the recording").isGreaterThan(0.1);
    }
}

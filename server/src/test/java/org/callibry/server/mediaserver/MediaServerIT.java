package org.callibry.server.mediaserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.callibry.server.api.ApiTestSupport;
import org.callibry.server.testing.Audio;
import org.callibry.server.testing.Baresip;
import org.callibry.shared.api.client.CallibryClient;
import org.callibry.shared.api.dto.Accounts;
import org.callibry.shared.api.dto.Domains;
import org.callibry.shared.media.Goertzel;
import org.callibry.shared.media.WavReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The media server's built-in services reached through the demo routes by a real phone (baresip):
 * <ul>
 *   <li>600, the echo test: the caller hears its own tone back;</li>
 *   <li>601, music on hold: the caller hears the default music (its chords, not its own tone).</li>
 * </ul>
 */
class MediaServerIT extends ApiTestSupport {
    @TempDir
    Path tmp;

    private String caller() {
        CallibryClient admin = admin();
        Domains.Domain demo = admin.domains().list(new Domains.ListParams(null, "demo.callibry.test", null, null)).items().getFirst();
        String number = "7" + (10_000 + (int) (Math.random() * 80_000));
        Accounts.Account a = admin.accounts().create(new Accounts.Create(demo.id(), number, "Caller", PASSWORD, null));
        return "<sip:" + a.number() + "@127.0.0.1:" + SIP_PORT + ">;auth_pass=" + PASSWORD + ";regint=0";
    }

    @Test
    void echoTestSendsBackWhatTheCallerSays() throws Exception {
        Path tone = Audio.tone(tmp.resolve("tone.wav"), 440, 8);
        try (Baresip phone = Baresip.start(tmp.resolve("echo"), caller(), tone, 6, "/dial sip:600@127.0.0.1:" + SIP_PORT)) {
            assertThat(phone.waitFor(30)).isTrue();
            assertThat(Audio.dominant(phone.received(), 440, 1000)).as("hears its own 440 Hz: " + phone.log()).isEqualTo(440);
        }
    }

    @Test
    void musicOnHoldNumberPlaysTheDefaultMusic() throws Exception {
        Path tone = Audio.tone(tmp.resolve("tone.wav"), 1000, 8);
        try (Baresip phone = Baresip.start(tmp.resolve("moh"), caller(), tone, 6, "/dial sip:601@127.0.0.1:" + SIP_PORT)) {
            assertThat(phone.waitFor(30)).isTrue();
            assertHearsMusic(phone.received(), phone.log());
        }
    }

    /** The default music's chords (C, A, F, G around middle C) dominate, and it is not silence nor the caller's 1000 Hz. */
    static void assertHearsMusic(Path wav, String log) throws Exception {
        assertThat(wav).as("audio received: " + log).exists();
        short[] s = WavReader.read(wav).samples();
        assertThat(s.length).as("at least 2 s received").isGreaterThan(16_000);
        double music = 0;
        for (double f : new double[] {261.63, 329.63, 392.00, 220.00, 349.23, 440.00, 196.00, 246.94, 293.66}) {
            music += Goertzel.share(s, 0, s.length, 8000, f);
        }
        double own = Goertzel.share(s, 0, s.length, 8000, 1000);
        assertThat(music).as("share of the music's notes").isGreaterThan(0.2);
        assertThat(music).as("music, not the caller's tone").isGreaterThan(own * 5);
    }
}

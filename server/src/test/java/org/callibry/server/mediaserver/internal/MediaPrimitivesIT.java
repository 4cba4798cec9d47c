package org.callibry.server.mediaserver.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.callibry.server.api.ApiTestSupport;
import org.callibry.server.calls.CallControl;
import org.callibry.server.calls.CallSession;
import org.callibry.shared.testing.FreePorts;
import org.callibry.server.testing.Sipp;
import org.callibry.shared.api.client.CallibryClient;
import org.callibry.shared.api.dto.Accounts;
import org.callibry.shared.api.dto.Cdrs;
import org.callibry.shared.api.dto.Domains;
import org.callibry.shared.media.G711;
import org.callibry.shared.media.Goertzel;
import org.callibry.shared.media.TelephoneEvent;
import org.callibry.shared.media.Tones;
import org.callibry.shared.media.WavReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * A media application written against the primitives, reached by a route to an IVR: it answers,
 * plays a prompt interruptible by a digit, collects three digits — two as RFC 4733 telephone-events
 * on RTP, one as SIP INFO dtmf-relay —, records what the caller says, and hangs up (BYE through the
 * proxy). The caller is SIPp for signaling and the test's own socket for media.
 */
class MediaPrimitivesIT extends ApiTestSupport {
    @TempDir
    Path tmp;

    @Autowired
    CallControl services;

    @Test
    void answerPlayCollectRecordAndHangUp() throws Exception {
        CompletableFuture<String> digits = new CompletableFuture<>();
        CompletableFuture<Path> recorded = new CompletableFuture<>();
        AtomicInteger digitEvents = new AtomicInteger();
        Path wav = tmp.resolve("caller.wav");
        // a kind no module serves (the ivr module serves "ivr" in this shared server)
        services.register("voicemail", session -> {
            session.addListener(new CallSession.Listener() {
                @Override
                public void digit(CallSession s, char d) {
                    digitEvents.incrementAndGet();
                }
            });
            session.answer();
            session.play(List.of(Tones.sine(700, 8000, 8000, 8000 * 3)), false, true);
            String got = session.collectDigits(3, Duration.ofSeconds(10), Duration.ofSeconds(5), "#").get();
            digits.complete(got);
            recorded.complete(session.record(wav, Duration.ofSeconds(2), "#").get());
            session.hangup("done");
        });
        CallibryClient admin = admin();
        Domains.Domain demo = admin.domains().list(new Domains.ListParams(null, "demo.callibry.test", null, null)).items().getFirst();
        int n = 10_000 + (int) (Math.random() * 80_000);
        Accounts.Account caller = admin.accounts().create(new Accounts.Create(demo.id(), "8" + n, "Caller", PASSWORD, null));
        String service = "77" + n;
        Map<String, Object> route = new LinkedHashMap<>();
        route.put("name", unique("primitives"));
        route.put("priority", 1);
        route.put("bNumberMask", "^" + service + "$");
        route.put("destinationType", "VOICEMAIL");
        route.put("destination", "primitives");
        admin.call("route.create", route, JsonNode.class);

        try (DatagramSocket phone = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            phone.setSoTimeout(200);
            Path inject = Sipp.injection(tmp, "caller.csv", List.of(List.of(caller.number(), PASSWORD, service)));
            try (Sipp.Running uac = Sipp.start(tmp, "127.0.0.1:" + SIP_PORT, "uac-media-app.xml", FreePorts.udpAndTcp(),
                    "-m", "1", "-inf", inject.toString(), "-key", "caller_rtp", Integer.toString(phone.getLocalPort()))) {
                // the prompt arrives; its source is where the media server listens (symmetric RTP)
                short[] prompt = new short[8000];
                int got = 0;
                InetSocketAddress server = null;
                long deadline = System.currentTimeMillis() + 10_000;
                while (got < prompt.length && System.currentTimeMillis() < deadline) {
                    DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
                    try {
                        phone.receive(p);
                    } catch (SocketTimeoutException e) {
                        continue;
                    }
                    server = (InetSocketAddress) p.getSocketAddress();
                    int len = Math.min(p.getLength() - 12, prompt.length - got);
                    G711.decodeUlaw(p.getData(), 12, len, prompt, got);
                    got += len;
                }
                assertThat(server).as("prompt received").isNotNull();
                assertThat(Goertzel.dominant(prompt, 8000, 700, 440)).as("the prompt's 700 Hz").isEqualTo(700);

                sendDigit(phone, server, '1', 1000);
                sendDigit(phone, server, '2', 2000);
                assertThat(drain(phone, 300)).as("the prompt stops at the first digit (interruptible)").isLessThan(5);
                assertThat(digits.get(15, TimeUnit.SECONDS)).as("two RFC 4733 digits, then the SIP INFO one").isEqualTo("124");

                short[] tone = Tones.sine(440, 8000, 8000, 8000 * 3);
                byte[] payload = new byte[160];
                for (int i = 0; i < 150 && !recorded.isDone(); i++) {
                    G711.encodeUlaw(tone, i * 160, 160, payload, 0);
                    byte[] rtp = rtp(0, 100 + i, 3000 + i * 160, false, payload);
                    phone.send(new DatagramPacket(rtp, rtp.length, server));
                    Thread.sleep(20);
                }
                Path file = recorded.get(10, TimeUnit.SECONDS);
                WavReader.Wav w = WavReader.read(file);
                assertThat(w.samples().length).as("about the 2 s asked for").isBetween(8000 * 3 / 2, 8000 * 5 / 2);
                assertThat(Goertzel.dominant(w.samples(), 8000, 440, 700)).as("what the caller said").isEqualTo(440);
                assertThat(uac.await(Duration.ofSeconds(20)).passed()).as("the caller got the application's BYE").isTrue();
            }
        }
        assertThat(digitEvents.get()).isEqualTo(3);
    }

    @Test
    void originateAnOutboundCallAndBridgeItToTheCaller() throws Exception {
        CompletableFuture<String> outcome = new CompletableFuture<>();
        CallibryClient admin = admin();
        Domains.Domain demo = admin.domains().list(new Domains.ListParams(null, "demo.callibry.test", null, null)).items().getFirst();
        int n = 10_000 + (int) (Math.random() * 80_000);
        Accounts.Account caller = admin.accounts().create(new Accounts.Create(demo.id(), "8" + n, "Caller", PASSWORD, null));
        Accounts.Account agent = admin.accounts().create(new Accounts.Create(demo.id(), "9" + n, "Agent", PASSWORD, null));
        Map<String, Object> local = new LinkedHashMap<>();
        local.put("name", unique("agent"));
        local.put("priority", 1);
        local.put("bNumberMask", "^" + agent.number() + "$");
        local.put("destinationType", "LOCAL");
        admin.call("route.create", local, JsonNode.class);
        services.register("dialer", session -> {
            session.answer();
            session.play(List.of(Tones.sine(700, 8000, 8000, 2400)), false, false); // 0.3 s: tells the phone our port
            CallSession out = services.originate(agent.number(), session.caller(), session.tenantId(), Duration.ofSeconds(10),
                    session.callId()).get(15, TimeUnit.SECONDS);
            session.bridge(out);
            outcome.complete(out.called());
            session.addListener(new CallSession.Listener() {
                @Override
                public void ended(CallSession s, String reason) {
                    out.hangup("caller left");
                }
            });
        });
        String service = "66" + n;
        Map<String, Object> route = new LinkedHashMap<>();
        route.put("name", unique("queue"));
        route.put("priority", 1);
        route.put("bNumberMask", "^" + service + "$");
        route.put("destinationType", "DIALER");
        route.put("destination", "campaign");
        admin.call("route.create", route, JsonNode.class);

        Path agentTone = org.callibry.server.testing.Audio.tone(tmp.resolve("agent.wav"), 1000, 14);
        try (org.callibry.server.testing.Baresip agentPhone = org.callibry.server.testing.Baresip.start(tmp.resolve("agent"),
                "<sip:" + agent.number() + "@127.0.0.1:" + SIP_PORT + ">;auth_pass=" + PASSWORD + ";answermode=auto", agentTone, 16, null);
             DatagramSocket phone = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            long deadline = System.currentTimeMillis() + 10_000;
            while (!admin.accounts().get(agent.id()).online() && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
            assertThat(admin.accounts().get(agent.id()).online()).as("agent registered: " + agentPhone.log()).isTrue();
            phone.setSoTimeout(50);
            Path inject = Sipp.injection(tmp, "caller.csv", List.of(List.of(caller.number(), PASSWORD, service)));
            try (Sipp.Running uac = Sipp.start(tmp, "127.0.0.1:" + SIP_PORT, "uac-media-call.xml", FreePorts.udpAndTcp(),
                    "-m", "1", "-inf", inject.toString(), "-key", "caller_rtp", Integer.toString(phone.getLocalPort()))) {
                InetSocketAddress server = null;
                short[] heard = new short[8000 * 3];
                int got = 0;
                short[] tone = Tones.sine(440, 8000, 8000, 8000 * 8);
                byte[] payload = new byte[160];
                int seq = 0;
                long end = System.currentTimeMillis() + 6_500;
                while (System.currentTimeMillis() < end) {
                    DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
                    try {
                        phone.receive(p);
                        server = (InetSocketAddress) p.getSocketAddress();
                        if (outcome.isDone() && got < heard.length) {
                            int len = Math.min(p.getLength() - 12, heard.length - got);
                            G711.decodeUlaw(p.getData(), 12, len, heard, got);
                            got += len;
                        }
                    } catch (SocketTimeoutException e) {
                        // send on
                    }
                    if (server != null && seq < 8 * 50) {
                        G711.encodeUlaw(tone, (seq % 350) * 160, 160, payload, 0);
                        byte[] rtp = rtp(0, seq, seq * 160, seq == 0, payload);
                        phone.send(new DatagramPacket(rtp, rtp.length, server));
                        seq++;
                    }
                }
                assertThat(outcome.get(1, TimeUnit.SECONDS)).as("the outbound leg was answered").isEqualTo(agent.number());
                assertThat(got).as("the agent's audio reached the caller").isGreaterThan(8000);
                assertThat(Goertzel.dominant(java.util.Arrays.copyOf(heard, got), 8000, 1000, 440, 700))
                        .as("the caller hears the agent's 1000 Hz").isEqualTo(1000);
                assertThat(uac.await(Duration.ofSeconds(20)).passed()).isTrue();
            }
            assertThat(agentPhone.waitFor(30)).isTrue();
            assertThat(org.callibry.server.testing.Audio.dominant(agentPhone.received(), 440, 1000))
                    .as("the agent hears the caller's 440 Hz: " + agentPhone.log()).isEqualTo(440);
        }
        // one call, two legs: the caller's into the queue and the agent's the media server placed for it
        List<Cdrs.Cdr> legs = List.of();
        long deadline = System.currentTimeMillis() + 15_000;
        while (legs.size() < 2 && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            legs = admin.cdrs(new Cdrs.SearchParams(caller.number(), null, Cdrs.Match.EXACT, null, null, null, null, null, null,
                    null)).items();
        }
        assertThat(legs).extracting(Cdrs.Cdr::bNumber).containsExactlyInAnyOrder(service, agent.number());
        assertThat(legs).extracting(Cdrs.Cdr::callId).as("both legs carry the caller's call id").containsOnly(legs.getFirst().callId());
    }

    /** An RFC 4733 event: three packets with the same timestamp, the last ones with the end bit (§2.5.1.4). */
    private static void sendDigit(DatagramSocket s, InetSocketAddress to, char digit, int timestamp) throws Exception {
        for (int i = 0; i < 4; i++) {
            boolean end = i >= 2;
            byte[] ev = new TelephoneEvent(TelephoneEvent.code(digit), end, 10, 160 * (i + 1)).encode();
            byte[] rtp = rtp(101, timestamp / 10 + i, timestamp, i == 0, ev);
            s.send(new DatagramPacket(rtp, rtp.length, to));
            Thread.sleep(20);
        }
    }

    private static byte[] rtp(int pt, int seq, int timestamp, boolean marker, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(12 + payload.length);
        b.put((byte) 0x80).put((byte) ((marker ? 0x80 : 0) | pt)).putShort((short) seq).putInt(timestamp).putInt(0x4242)
                .put(payload);
        return b.array();
    }

    private static int drain(DatagramSocket s, long ms) throws Exception {
        Thread.sleep(100); // packets already on their way
        int n = 0;
        long end = System.currentTimeMillis() + ms;
        while (System.currentTimeMillis() < end) {
            try {
                s.receive(new DatagramPacket(new byte[2048], 2048));
                n++;
            } catch (SocketTimeoutException e) {
                // quiet
            }
        }
        return n;
    }
}

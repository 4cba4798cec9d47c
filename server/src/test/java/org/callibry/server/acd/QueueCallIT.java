package org.callibry.server.acd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.callibry.server.api.ApiTestSupport;
import org.callibry.shared.testing.FreePorts;
import org.callibry.server.testing.Sipp;
import org.callibry.shared.api.client.CallibryClient;
import org.callibry.shared.api.client.RpcErrorException;
import org.callibry.shared.api.dto.Accounts;
import org.callibry.shared.api.dto.Agents;
import org.callibry.shared.api.dto.Cdrs;
import org.callibry.shared.api.dto.Domains;
import org.callibry.shared.api.dto.Queues;
import org.callibry.shared.media.G711;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A queue call with real SIP parties: a SIPp caller dials the queue's number (no route: dialled like an
 * extension), waits with music on the media server, and is bridged to a registered SIPp agent whose
 * offer carries {@code X-Callibry-Queue}; the agent hangs up, the caller gets the BYE, the agent goes to
 * wrap-up, and the caller's detail record says the call was answered by the agent.
 */
class QueueCallIT extends ApiTestSupport {
    @TempDir
    Path tmp;

    record Setup(CallibryClient admin, Accounts.Account caller, Accounts.Account agent, Queues.Queue queue) {
    }

    private Setup setup(int wrapUp) throws Exception {
        return setup(wrapUp, false);
    }

    private Setup setup(int wrapUp, boolean record) throws Exception {
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
        Queues.Create create = new Queues.Create(demo.tenantId(), "55" + n, unique("Support"), Queues.Strategy.LINEAR,
                List.of(new Queues.Member(agent.id(), 0)), null, null, null, null, null, null, 0, "en", wrapUp, 10, 20, "", null,
                null, null, null, record, null, null, null, null);
        Queues.Queue queue = admin.call("queue.create", create, Queues.Queue.class);
        return new Setup(admin, caller, agent, queue);
    }

    @Test
    void aCallerWaitsWithMusicAndIsBridgedToTheAgent() throws Exception {
        Setup s = setup(30, true);
        assertThat(s.queue().members()).containsExactly(new Queues.Member(s.agent().id(), 0));
        int agentPort = FreePorts.udpAndTcp();
        Path users = Sipp.injection(tmp, "agent.csv", List.of(List.of(s.agent().number(), PASSWORD, "300")));
        assertThat(Sipp.run(tmp, "127.0.0.1:" + SIP_PORT, "register.xml", agentPort, "-inf", users.toString(), "-m", "1").passed())
                .isTrue();
        awaitState(s, Agents.State.FREE);
        try (Sipp.Running agent = Sipp.start(tmp, null, "uas-queue-agent.xml", agentPort, "-m", "1");
             DatagramSocket phone = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            phone.setSoTimeout(200);
            Path inject = Sipp.injection(tmp, "caller.csv", List.of(List.of(s.caller().number(), PASSWORD, s.queue().number())));
            try (Sipp.Running uac = Sipp.start(tmp, "127.0.0.1:" + SIP_PORT, "uac-media-app.xml", FreePorts.udpAndTcp(),
                    "-m", "1", "-inf", inject.toString(), "-key", "caller_rtp", Integer.toString(phone.getLocalPort()))) {
                short[] heard = receive(phone, 4000, 10_000);
                assertThat(rms(heard)).as("the caller hears music while it waits").isGreaterThan(300);
                Sipp.Result agentResult = agent.await(Duration.ofSeconds(30));
                assertThat(agentResult.passed()).as("the agent got the offer with X-Callibry-Queue, answered and hung up: "
                        + agentResult.output()).isTrue();
                assertThat(uac.await(Duration.ofSeconds(20)).passed()).as("the caller got the BYE after the agent hung up")
                        .isTrue();
            }
        }
        awaitState(s, Agents.State.WRAP_UP);
        Agents.AgentStatus st = s.admin().agentStatus(s.agent().id());
        assertThat(st.queueId()).isEqualTo(s.queue().id());
        assertThat(st.wrapUpEndsAt()).isNotNull();
        long deadline = System.currentTimeMillis() + 15_000;
        Cdrs.Cdr leg = null;
        List<Cdrs.Cdr> legs = List.of();
        while (System.currentTimeMillis() < deadline && (leg == null || !leg.reason().contains("agent"))) {
            legs = s.admin().cdrs(new Cdrs.SearchParams(s.caller().number(), null, Cdrs.Match.EXACT, null, null, null,
                    null, null, null, null)).items();
            leg = legs.stream().filter(c -> c.bNumber().equals(s.queue().number())).findFirst().orElse(null);
            Thread.sleep(300);
        }
        assertThat(leg).as("the caller's leg among " + legs).isNotNull();
        assertThat(legs).as("one call id for the caller's and the agent's legs").extracting(Cdrs.Cdr::callId).containsOnly(leg.callId());
        assertThat(leg).isNotNull();
        assertThat(leg.disposition()).isEqualTo(Cdrs.Disposition.ANSWERED);
        assertThat(leg.reason()).contains("answered by agent " + s.agent().number()).contains(s.queue().name());
        // the queue records its calls: the caller's leg, anchored on the relay (the caller, and music then the agent)
        long until = System.currentTimeMillis() + 20_000;
        Cdrs.Cdr recorded = leg;
        while (recorded.recordingId() == null && System.currentTimeMillis() < until) {
            Thread.sleep(300);
            recorded = s.admin().cdrs(new Cdrs.SearchParams(s.caller().number(), null, Cdrs.Match.EXACT, null, null, null,
                    null, null, null, null)).items().stream().filter(c -> c.bNumber().equals(s.queue().number())).findFirst()
                    .orElseThrow();
        }
        assertThat(recorded.recordingId()).as("the queue call's recording").isNotNull();
        org.callibry.shared.api.dto.Recordings.Recording rec = s.admin().recordings().get(recorded.recordingId());
        while (rec.state() != org.callibry.shared.api.dto.Recordings.State.READY && System.currentTimeMillis() < until) {
            Thread.sleep(300);
            rec = s.admin().recordings().get(recorded.recordingId());
        }
        assertThat(rec.state()).isEqualTo(org.callibry.shared.api.dto.Recordings.State.READY);
    }

    @Test
    void aQueueOutsideItsHoursRefusesCallersWith480() throws Exception {
        Setup s = setup(0);
        org.callibry.shared.api.dto.Tenants.Tenant tenant = s.admin().call("tenant.get", Map.of("id", s.queue().tenantId()),
                org.callibry.shared.api.dto.Tenants.Tenant.class);
        java.time.ZoneId zone = tenant.timeZone() == null ? java.time.ZoneOffset.UTC : java.time.ZoneId.of(tenant.timeZone());
        java.time.LocalTime now = java.time.LocalTime.now(zone);
        // an hour that is not now, every day: six hours ahead, or behind when that would cross midnight
        java.time.LocalTime from = now.getHour() < 17 ? now.plusHours(6) : now.minusHours(7);
        List<String> week = List.of("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY");
        String f = "%02d:00".formatted(from.getHour());
        String t = "%02d:00".formatted(from.getHour() + 1);
        assertThatThrownBy(() -> s.admin().call("queue.update", Map.of("id", s.queue().id(), "hours",
                List.of(Map.of("days", week, "from", t, "to", f))), Queues.Queue.class))
                .isInstanceOf(RpcErrorException.class).hasMessageContaining("hours");
        Queues.Queue closed = s.admin().call("queue.update", Map.of("id", s.queue().id(), "hours",
                List.of(Map.of("days", week, "from", f, "to", t)), "closedOnHolidays", true), Queues.Queue.class);
        assertThat(closed.hours()).singleElement().satisfies(h -> assertThat(h.from()).isEqualTo(f));
        assertThat(closed.closedOnHolidays()).isTrue();
        Path inject = Sipp.injection(tmp, "caller.csv", List.of(List.of(s.caller().number(), PASSWORD, s.queue().number())));
        Sipp.Result refused = Sipp.run(tmp, "127.0.0.1:" + SIP_PORT, "uac-unavailable.xml", FreePorts.udpAndTcp(), "-m", "1",
                "-inf", inject.toString());
        assertThat(refused.passed()).as("480 outside the queue's hours: " + refused.output()).isTrue();
        Queues.Queue open = s.admin().call("queue.update", Map.of("id", s.queue().id(), "hours", List.of(),
                "closedOnHolidays", false), Queues.Queue.class);
        assertThat(open.hours()).isEmpty();
    }

    @Test
    void queuesAreCheckedAndScopedOnSave() throws Exception {
        Setup s = setup(0);
        assertThatThrownBy(() -> s.admin().call("queue.create", Queues.Create.of(s.queue().tenantId(), s.queue().number(), "Twin",
                null, List.of()), Queues.Queue.class)).isInstanceOf(RpcErrorException.class).hasMessageContaining("number");
        assertThatThrownBy(() -> s.admin().call("queue.create", Queues.Create.of(s.queue().tenantId(), "77" + s.queue().number(),
                "Ghost", null, List.of(new Queues.Member(999_999L, 0))), Queues.Queue.class))
                .isInstanceOf(RpcErrorException.class).hasMessageContaining("members");
        Map<String, Object> route = new LinkedHashMap<>();
        route.put("name", unique("to-queue"));
        route.put("bNumberMask", "^" + unique("x").replaceAll("\\D", "") + "1$");
        route.put("destinationType", "QUEUE");
        route.put("destination", "987654321");
        assertThatThrownBy(() -> s.admin().call("route.create", route, JsonNode.class)).isInstanceOf(RpcErrorException.class)
                .hasMessageContaining("queue 987654321 does not exist");
        route.put("destination", Long.toString(s.queue().id()));
        assertThat(s.admin().call("route.create", route, JsonNode.class).get("destination").asString())
                .isEqualTo(Long.toString(s.queue().id()));
        Queues.Queue changed = s.admin().call("queue.update", new Queues.Update(s.queue().id(), null, null,
                Queues.Strategy.FEWEST_CALLS, null, null, 5, null, null, null, null, null, null, null, null, null, null, "1", null,
                null, null, null, null, null, null, null, null), Queues.Queue.class);
        assertThat(changed.strategy()).isEqualTo(Queues.Strategy.FEWEST_CALLS);
        assertThat(changed.maxWaiting()).isEqualTo(5);
        assertThat(changed.callbackDigit()).isEqualTo("1");
        assertThat(changed.members()).isEqualTo(s.queue().members());
    }

    private void awaitState(Setup s, Agents.State state) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        Agents.State now = null;
        while (System.currentTimeMillis() < deadline) {
            now = s.admin().agentStatus(s.agent().id()).state();
            if (now == state) {
                return;
            }
            Thread.sleep(100);
        }
        assertThat(now).as("agent state").isEqualTo(state);
    }

    private static short[] receive(DatagramSocket socket, int samples, long timeoutMillis) throws Exception {
        short[] out = new short[samples];
        int got = 0;
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (got < samples && System.currentTimeMillis() < deadline) {
            DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                continue;
            }
            int len = Math.min(p.getLength() - 12, samples - got);
            G711.decodeUlaw(p.getData(), 12, len, out, got);
            got += len;
        }
        return out;
    }

    private static double rms(short[] s) {
        double sum = 0;
        for (short v : s) {
            sum += (double) v * v;
        }
        return Math.sqrt(sum / Math.max(1, s.length));
    }

    /** The caller hears the queue's music, then, once bridged, the agent's voice (a baresip sending 1000 Hz). */
    @Test
    void theCallerHearsMusicThenTheAgentsVoice() throws Exception {
        Setup s = setup(0);
        s.admin().setAgentStatus(new Agents.SetStatus(Agents.Status.PAUSED, "not yet", s.agent().id()));
        Path agentTone = org.callibry.server.testing.Audio.tone(tmp.resolve("agent.wav"), 1000, 20);
        try (org.callibry.server.testing.Baresip agentPhone = org.callibry.server.testing.Baresip.start(tmp.resolve("agent"),
                "<sip:" + s.agent().number() + "@127.0.0.1:" + SIP_PORT + ">;auth_pass=" + PASSWORD + ";answermode=auto",
                agentTone, 20, null);
             DatagramSocket phone = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            long deadline = System.currentTimeMillis() + 10_000;
            while (!s.admin().accounts().get(s.agent().id()).online() && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
            assertThat(s.admin().accounts().get(s.agent().id()).online()).as("agent registered: " + agentPhone.log()).isTrue();
            phone.setSoTimeout(20);
            Path inject = Sipp.injection(tmp, "caller.csv", List.of(List.of(s.caller().number(), PASSWORD, s.queue().number())));
            try (Sipp.Running uac = Sipp.start(tmp, "127.0.0.1:" + SIP_PORT, "uac-queue-wait.xml", FreePorts.udpAndTcp(),
                    "-m", "1", "-inf", inject.toString(), "-key", "caller_rtp", Integer.toString(phone.getLocalPort()))) {
                short[] music = new short[8000 * 2];
                short[] agent = new short[8000 * 2];
                int gotMusic = 0;
                int gotAgent = 0;
                java.net.InetSocketAddress server = null;
                short[] voice = org.callibry.shared.media.Tones.sine(440, 8000, 8000, 8000 * 10);
                byte[] payload = new byte[160];
                int seq = 0;
                boolean freed = false;
                long start = System.currentTimeMillis();
                long freeAt = Long.MAX_VALUE;
                while (System.currentTimeMillis() - start < 20_000 && gotAgent < agent.length) {
                    DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
                    try {
                        phone.receive(p);
                        server = (java.net.InetSocketAddress) p.getSocketAddress();
                        int len = p.getLength() - 12;
                        if (!freed && gotMusic < music.length) {
                            len = Math.min(len, music.length - gotMusic);
                            G711.decodeUlaw(p.getData(), 12, len, music, gotMusic);
                            gotMusic += len;
                        } else if (freed && System.currentTimeMillis() - freeAt > 2_500) {
                            len = Math.min(len, agent.length - gotAgent);
                            G711.decodeUlaw(p.getData(), 12, len, agent, gotAgent);
                            gotAgent += len;
                        }
                    } catch (SocketTimeoutException e) {
                        // the caller speaks on
                    }
                    if (server != null) {
                        G711.encodeUlaw(voice, (seq % 400) * 160, 160, payload, 0);
                        byte[] rtp = rtp(seq, payload);
                        phone.send(new DatagramPacket(rtp, rtp.length, server));
                        seq++;
                    }
                    if (!freed && gotMusic >= music.length) {
                        freed = true;
                        freeAt = System.currentTimeMillis();
                        s.admin().setAgentStatus(new Agents.SetStatus(Agents.Status.FREE, null, s.agent().id()));
                    }
                }
                assertThat(rms(music)).as("music while waiting").isGreaterThan(300);
                assertThat(org.callibry.shared.media.Goertzel.dominant(music, 8000, 1000, 440)).as("not the agent yet")
                        .isNotEqualTo(1000);
                assertThat(gotAgent).as("audio after the bridge: " + agentPhone.log()).isEqualTo(agent.length);
                assertThat(org.callibry.shared.media.Goertzel.dominant(agent, 8000, 1000, 440))
                        .as("the agent's 1000 Hz after the bridge").isEqualTo(1000);
                assertThat(s.admin().agentStatus(s.agent().id()).state()).isEqualTo(Agents.State.BUSY);
            }
        }
    }

    private static byte[] rtp(int seq, byte[] payload) {
        byte[] p = new byte[12 + payload.length];
        p[0] = (byte) 0x80;
        p[2] = (byte) (seq >> 8);
        p[3] = (byte) seq;
        int ts = seq * 160;
        p[4] = (byte) (ts >> 24);
        p[5] = (byte) (ts >> 16);
        p[6] = (byte) (ts >> 8);
        p[7] = (byte) ts;
        p[11] = 0x42;
        System.arraycopy(payload, 0, p, 12, payload.length);
        return p;
    }
}

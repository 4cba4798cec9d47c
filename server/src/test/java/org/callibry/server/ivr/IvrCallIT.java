package org.callibry.server.ivr;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.callibry.server.api.ApiTestSupport;
import org.callibry.shared.testing.FreePorts;
import org.callibry.server.testing.Sipp;
import org.callibry.shared.api.Methods;
import org.callibry.shared.api.client.CallibryClient;
import org.callibry.shared.api.dto.Accounts;
import org.callibry.shared.api.dto.Agents;
import org.callibry.shared.api.dto.Cdrs;
import org.callibry.shared.api.dto.Domains;
import org.callibry.shared.api.dto.Ivrs;
import org.callibry.shared.api.dto.Queues;
import org.callibry.shared.media.TelephoneEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * IVR scenarios on real calls: a SIPp caller dials the scenario's number (no route: like an extension),
 * hears the prompts on its RTP socket, and types RFC 4733 digits from it; the scenario's trace of the
 * call ({@code ivr.runs}) says what happened. Scenarios:
 * <ul>
 *   <li>a menu choice, a balance lookup against a local HTTP server, the amount said back, the BYE;</li>
 *   <li>the same scenario saved again (a new version, run by the next call) with a lookup that times out:
 *       the error branch, whose audio file is missing, takes its own error branch; the call goes on;</li>
 *   <li>collect with a timeout retry and a too-short answer retried, then the digits said back;</li>
 *   <li>record: the caller's tone after the beep, stopped by #, lands in the tenant's audio library;</li>
 *   <li>the demo scenario 700 against this server's demo balance endpoint.</li>
 * </ul>
 */
class IvrCallIT extends ApiTestSupport {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path tmp;

    private HttpServer crm;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    @BeforeEach
    void crm() throws Exception {
        crm = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        crm.createContext("/balance", ex -> {
            requests.add(ex.getRequestURI().toString());
            byte[] body = "{\"balance\": \"123.45\", \"currency\": \"RUB\"}".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        crm.createContext("/slow", ex -> {
            requests.add(ex.getRequestURI().toString());
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        crm.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        crm.start();
    }

    @AfterEach
    void stop() {
        crm.stop(0);
    }

    private String scenario(String lookupPath) {
        return """
                {"start": "menu", "nodes": [
                  {"id": "menu", "type": "menu", "prompt": ["beep"], "options": {"1": "balance", "2": "account"},
                   "timeoutSeconds": 5, "attempts": 2, "timeoutPrompt": ["beep"], "timeout": "bye", "invalid": "bye"},
                  {"id": "balance", "type": "http", "url": "http://127.0.0.1:%d%s?number=${caller}", "timeoutMillis": 1000,
                   "assign": {"balance": "balance"}, "next": "amount", "error": "sorry"},
                  {"id": "amount", "type": "say", "kind": "money", "value": "${balance}", "next": "bye"},
                  {"id": "sorry", "type": "play", "audio": ["no-such-file-${caller}"], "next": "bye", "error": "apology"},
                  {"id": "apology", "type": "play", "audio": ["beep"], "next": "bye"},
                  {"id": "account", "type": "collect", "prompt": ["beep"], "variable": "account", "minDigits": 3, "maxDigits": 4,
                   "timeoutSeconds": 2, "interDigitSeconds": 2, "attempts": 3, "timeoutPrompt": ["beep"],
                   "invalidPrompt": ["beep"], "next": "digits", "invalid": "bye", "timeout": "bye"},
                  {"id": "digits", "type": "say", "kind": "digits", "value": "${account}", "next": "bye"},
                  {"id": "bye", "type": "hangup", "reason": "done"}]}""".formatted(crm.getAddress().getPort(), lookupPath);
    }

    record Setup(CallibryClient admin, Accounts.Account caller, Ivrs.Ivr ivr) {
    }

    private Setup setup() {
        CallibryClient admin = admin();
        Domains.Domain demo = admin.domains().list(new Domains.ListParams(null, "demo.callibry.test", null, null)).items().getFirst();
        int n = 10_000 + (int) (Math.random() * 80_000);
        Accounts.Account caller = admin.accounts().create(new Accounts.Create(demo.id(), "8" + n, "Caller", PASSWORD, null));
        Ivrs.Ivr ivr = admin.ivrs().create(new Ivrs.Create(demo.tenantId(), unique("IVR"), "76" + n,
                JSON.readTree(scenario("/balance"))));
        return new Setup(admin, caller, ivr);
    }

    /** The caller's RTP socket: what the media server sends, and RFC 4733 digits back to where it comes from. */
    static final class Phone implements AutoCloseable {
        final DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        volatile InetSocketAddress server;
        final AtomicInteger packets = new AtomicInteger();
        private final Thread reader;
        private int seq = 1;
        private int timestamp = 1000;

        Phone() throws Exception {
            socket.setSoTimeout(100);
            reader = Thread.ofVirtual().start(() -> {
                while (!socket.isClosed()) {
                    try {
                        DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
                        socket.receive(p);
                        server = (InetSocketAddress) p.getSocketAddress();
                        packets.incrementAndGet();
                    } catch (SocketTimeoutException e) {
                        // keep listening
                    } catch (Exception e) {
                        return;
                    }
                }
            });
        }

        void awaitAudio() throws InterruptedException {
            long deadline = System.currentTimeMillis() + 10_000;
            while (server == null && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertThat(server).as("the IVR's audio reaches the caller").isNotNull();
        }

        /** {@code millis} of a 440 Hz tone, as PCMU in 20 ms packets. */
        void tone(int millis) throws Exception {
            short[] tone = org.callibry.shared.media.Tones.sine(440, 8000, 8000, 8 * millis);
            byte[] payload = new byte[160];
            for (int i = 0; i + 160 <= tone.length; i += 160) {
                org.callibry.shared.media.G711.encodeUlaw(tone, i, 160, payload, 0);
                timestamp += 160;
                ByteBuffer b = ByteBuffer.allocate(12 + 160);
                b.put((byte) 0x80).put((byte) 0).putShort((short) seq++).putInt(timestamp).putInt(0x4343).put(payload);
                socket.send(new DatagramPacket(b.array(), b.capacity(), server));
                Thread.sleep(20);
            }
        }

        /** An RFC 4733 event: four packets with the same timestamp, the last two with the end bit (§2.5.1.4). */
        void digit(char d) throws Exception {
            timestamp += 1600;
            for (int i = 0; i < 4; i++) {
                boolean end = i >= 2;
                byte[] ev = new TelephoneEvent(TelephoneEvent.code(d), end, 10, 160 * (i + 1)).encode();
                ByteBuffer b = ByteBuffer.allocate(12 + ev.length);
                b.put((byte) 0x80).put((byte) ((i == 0 ? 0x80 : 0) | 101)).putShort((short) seq++).putInt(timestamp).putInt(0x4343)
                        .put(ev);
                socket.send(new DatagramPacket(b.array(), b.capacity(), server));
                Thread.sleep(20);
            }
        }

        @Override
        public void close() throws Exception {
            socket.close();
            reader.join(1000);
        }
    }

    /** Calls the scenario's number, lets {@code caller} act, and returns the trace of the call. */
    private Ivrs.Run call(Setup s, PhoneScript script) throws Exception {
        return call(s, true, script);
    }

    private Ivrs.Run call(Setup s, boolean prompted, PhoneScript script) throws Exception {
        int before = runs(s).size();
        try (Phone phone = new Phone()) {
            Path inject = Sipp.injection(tmp, "caller.csv", List.of(List.of(s.caller().number(), PASSWORD, s.ivr().number())));
            try (Sipp.Running uac = Sipp.start(tmp, "127.0.0.1:" + SIP_PORT, "uac-ivr.xml", FreePorts.udpAndTcp(),
                    "-m", "1", "-inf", inject.toString(), "-key", "caller_rtp", Integer.toString(phone.socket.getLocalPort()))) {
                if (prompted) {
                    phone.awaitAudio();
                }
                script.act(phone);
                Sipp.Result r = uac.await(Duration.ofSeconds(60));
                assertThat(r.passed()).as("answered, then the IVR's BYE: " + r.output()).isTrue();
            }
        }
        long deadline = System.currentTimeMillis() + 10_000;
        List<Ivrs.Run> runs = runs(s);
        while (runs.size() == before && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
            runs = runs(s);
        }
        assertThat(runs).hasSize(before + 1);
        return runs.getFirst();
    }

    private List<Ivrs.Run> runs(Setup s) {
        return s.admin().call(Methods.IVR_RUNS, new Ivrs.RunsParams(null, s.ivr().id(), 50),
                s.admin().listOf(Ivrs.Run.class));
    }

    interface PhoneScript {
        void act(Phone phone) throws Exception;
    }

    @Test
    void aMenuChoiceLooksTheBalanceUpAndSaysIt() throws Exception {
        Setup s = setup();
        Ivrs.Run run = call(s, phone -> phone.digit('1'));
        Ivrs.Trace t = run.trace();
        assertThat(t.path()).containsExactly("menu", "balance", "amount", "bye");
        assertThat(t.played()).containsExactly("beep", "one hundred twenty three rubles and forty five kopecks");
        assertThat(t.variables()).containsEntry("balance", "123.45").containsEntry("caller", s.caller().number());
        assertThat(t.http()).singleElement().satisfies(h -> {
            assertThat(h.status()).isEqualTo(200);
            assertThat(h.outcome()).isEqualTo("ok");
            assertThat(h.url()).endsWith("/balance?number=" + s.caller().number());
        });
        assertThat(t.end()).isEqualTo("hangup");
        assertThat(run.version()).isEqualTo(1);
        assertThat(run.caller()).isEqualTo(s.caller().number());
        assertThat(requests).containsExactly("/balance?number=" + s.caller().number());
        List<Ivrs.Run> byCall = s.admin().call(Methods.IVR_RUNS, new Ivrs.RunsParams(run.callId(), null, null),
                s.admin().listOf(Ivrs.Run.class));
        assertThat(byCall).extracting(Ivrs.Run::id).containsExactly(run.id());
    }

    @Test
    void aLookupThatTimesOutAndAMissingFileTakeTheErrorBranches() throws Exception {
        Setup s = setup();
        Ivrs.Ivr v2 = s.admin().ivrs().update(new Ivrs.Update(s.ivr().id(), null, null, null, JSON.readTree(scenario("/slow"))));
        assertThat(v2.version()).isEqualTo(2);
        long started = System.nanoTime();
        Ivrs.Run run = call(s, phone -> phone.digit('1'));
        Ivrs.Trace t = run.trace();
        assertThat(run.version()).as("the call runs the latest version").isEqualTo(2);
        assertThat(t.path()).containsExactly("menu", "balance", "sorry", "apology", "bye");
        assertThat(t.http()).singleElement().satisfies(h -> {
            assertThat(h.outcome()).startsWith("timeout");
            assertThat(h.millis()).isBetween(900L, 2500L);
        });
        assertThat(t.variables()).containsEntry("lastError", "missing audio file 'no-such-file-" + s.caller().number() + "'");
        assertThat(t.played()).containsExactly("beep", "beep");
        assertThat(t.end()).isEqualTo("hangup");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the slow lookup did not hold the call").isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void aRecordedMessageGoesIntoTheAudioLibrary() throws Exception {
        Setup s = setup();
        s.admin().ivrs().update(new Ivrs.Update(s.ivr().id(), null, null, null, JSON.readTree("""
                {"start": "r", "nodes": [
                  {"id": "r", "type": "record", "maxSeconds": 10, "stopDigits": "#", "name": "msg-${caller}", "variable": "file",
                   "next": "bye", "error": "bye"},
                  {"id": "bye", "type": "hangup"}]}""")));
        Ivrs.Run run = call(s, phone -> {
            Thread.sleep(600); // the beep
            phone.tone(2000);
            phone.digit('#');
        });
        Ivrs.Trace t = run.trace();
        assertThat(t.path()).containsExactly("r", "bye");
        assertThat(t.played()).containsExactly("beep");
        long file = Long.parseLong(t.variables().get("file"));
        org.callibry.shared.api.dto.AudioFiles.AudioFile audio = s.admin().audio().get(file);
        assertThat(audio.name()).isEqualTo("msg-" + s.caller().number());
        assertThat(audio.tenantId()).isEqualTo(s.ivr().tenantId());
    }

    /** The demo: 700 in the demo tenant looks the balance up at this server's demo endpoint and says it. */
    @Test
    void theDemoScenarioSaysTheBalanceFromTheDemoEndpoint() throws Exception {
        Setup s = setup();
        Ivrs.Ivr demo = s.admin().ivrs().list(new Ivrs.ListParams(s.ivr().tenantId())).items().stream()
                .filter(i -> "700".equals(i.number())).findFirst().orElseThrow();
        String balance = JSON.readTree(java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        base().resolve("demo/balance?number=" + s.caller().number())).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body()).get("balance").asString();
        Setup demoSetup = new Setup(s.admin(), s.caller(), demo);
        Ivrs.Run run = call(demoSetup, phone -> {
            phone.digit('1');
            Thread.sleep(9000); // the lookup, "your balance is" and the amount; then three wrong choices end the call
            for (int i = 0; i < 3; i++) {
                phone.digit('7');
                Thread.sleep(3000);
            }
        });
        Ivrs.Trace t = run.trace();
        assertThat(t.path()).containsExactly("hours", "menu", "lookup", "balance-is", "amount", "menu", "bye", "end");
        assertThat(t.variables()).containsEntry("balance", balance);
        assertThat(t.played()).contains("demo-welcome", "demo-balance-is", "demo-goodbye");
        assertThat(t.played()).filteredOn(p -> p.contains("rubles") || p.contains("ruble")).hasSize(1);
        assertThat(t.http()).singleElement().satisfies(h -> assertThat(h.outcome()).isEqualTo("ok"));
        assertThat(t.end()).isEqualTo("hangup");
    }

    @Test
    void collectRetriesOnSilenceAndOnATooShortAnswer() throws Exception {
        Setup s = setup();
        Ivrs.Run run = call(s, phone -> {
            phone.digit('2');
            Thread.sleep(3500); // the first wait (2 s) times out: the timeout prompt, then the prompt again
            phone.digit('5');
            phone.digit('6');
            Thread.sleep(4000); // the inter-digit timeout ends "56": too short, the invalid prompt, again
            phone.digit('7');
            phone.digit('8');
            phone.digit('9');
            phone.digit('#');
        });
        Ivrs.Trace t = run.trace();
        assertThat(t.path()).containsExactly("menu", "account", "digits", "bye");
        assertThat(t.variables()).containsEntry("account", "789").containsEntry("digit", "2");
        assertThat(t.played()).containsExactly("beep", "beep", "beep", "beep", "beep", "beep", "seven eight nine");
    }

    @Test
    void theQueueNodeHandsTheCallerToAnAgent() throws Exception {
        CallibryClient admin = admin();
        Domains.Domain demo = admin.domains().list(new Domains.ListParams(null, "demo.callibry.test", null, null)).items().getFirst();
        int n = 10_000 + (int) (Math.random() * 80_000);
        Accounts.Account caller = admin.accounts().create(new Accounts.Create(demo.id(), "8" + n, "Caller", PASSWORD, null));
        Accounts.Account agent = admin.accounts().create(new Accounts.Create(demo.id(), "9" + n, "Agent", PASSWORD, null));
        admin.call("route.create", java.util.Map.of("name", unique("agent"), "priority", 1, "bNumberMask", "^" + agent.number() + "$",
                "destinationType", "LOCAL"), tools.jackson.databind.JsonNode.class);
        Queues.Queue queue = admin.queues().create(Queues.Create.of(demo.tenantId(), "56" + n, unique("IVR queue"),
                Queues.Strategy.LINEAR, List.of(new Queues.Member(agent.id(), 0))));
        Ivrs.Ivr ivr = admin.ivrs().create(new Ivrs.Create(demo.tenantId(), unique("IVR"), "77" + n, JSON.readTree("""
                {"start": "hello", "nodes": [
                  {"id": "hello", "type": "play", "audio": ["beep"], "next": "queue"},
                  {"id": "queue", "type": "queue", "queue": "%d", "error": "sorry"},
                  {"id": "sorry", "type": "hangup", "reason": "no queue"}]}""".formatted(queue.id()))));
        int agentPort = FreePorts.udpAndTcp();
        Path users = Sipp.injection(tmp, "agent.csv", List.of(List.of(agent.number(), PASSWORD, "300")));
        assertThat(Sipp.run(tmp, "127.0.0.1:" + SIP_PORT, "register.xml", agentPort, "-inf", users.toString(), "-m", "1").passed())
                .isTrue();
        long until = System.currentTimeMillis() + 15_000;
        while (admin.agentStatus(agent.id()).state() != Agents.State.FREE && System.currentTimeMillis() < until) {
            Thread.sleep(100);
        }
        try (Sipp.Running agentUas = Sipp.start(tmp, null, "uas-queue-agent.xml", agentPort, "-m", "1");
             Phone phone = new Phone()) {
            Path inject = Sipp.injection(tmp, "caller.csv", List.of(List.of(caller.number(), PASSWORD, ivr.number())));
            try (Sipp.Running uac = Sipp.start(tmp, "127.0.0.1:" + SIP_PORT, "uac-ivr.xml", FreePorts.udpAndTcp(),
                    "-m", "1", "-inf", inject.toString(), "-key", "caller_rtp", Integer.toString(phone.socket.getLocalPort()))) {
                Sipp.Result offered = agentUas.await(Duration.ofSeconds(30));
                assertThat(offered.passed()).as("the agent got the IVR's caller from the queue, answered and hung up: "
                        + offered.output()).isTrue();
                assertThat(uac.await(Duration.ofSeconds(20)).passed()).as("the caller got the BYE after the agent hung up")
                        .isTrue();
            }
        }
        List<Ivrs.Run> runs = admin.call(Methods.IVR_RUNS, new Ivrs.RunsParams(null, ivr.id(), 5), admin.listOf(Ivrs.Run.class));
        assertThat(runs).singleElement().satisfies(r -> {
            assertThat(r.trace().path()).containsExactly("hello", "queue");
            assertThat(r.trace().end()).isEqualTo("queue");
        });
        long deadline = System.currentTimeMillis() + 15_000;
        List<Cdrs.Cdr> legs = List.of();
        while (System.currentTimeMillis() < deadline && legs.stream().noneMatch(c -> c.reason().contains("answered by agent"))) {
            Thread.sleep(300);
            legs = admin.cdrs(new Cdrs.SearchParams(caller.number(), null, Cdrs.Match.EXACT, null, null, null, null, null, null,
                    null)).items();
        }
        assertThat(legs).as("the caller's record says the queue's outcome").anySatisfy(c -> {
            assertThat(c.bNumber()).isEqualTo(ivr.number());
            assertThat(c.reason()).contains("answered by agent " + agent.number()).contains(queue.name());
        });
    }

    @Test
    void theTransferNodeBridgesTheCallerToAnAccount() throws Exception {
        CallibryClient admin = admin();
        Domains.Domain demo = admin.domains().list(new Domains.ListParams(null, "demo.callibry.test", null, null)).items().getFirst();
        int n = 10_000 + (int) (Math.random() * 80_000);
        Accounts.Account caller = admin.accounts().create(new Accounts.Create(demo.id(), "8" + n, "Caller", PASSWORD, null));
        Accounts.Account clerk = admin.accounts().create(new Accounts.Create(demo.id(), "9" + n, "Clerk", PASSWORD, null));
        admin.call("route.create", java.util.Map.of("name", unique("clerk"), "priority", 1, "bNumberMask", "^" + clerk.number() + "$",
                "destinationType", "LOCAL"), tools.jackson.databind.JsonNode.class);
        Ivrs.Ivr ivr = admin.ivrs().create(new Ivrs.Create(demo.tenantId(), unique("IVR"), "78" + n, JSON.readTree("""
                {"start": "hello", "nodes": [
                  {"id": "hello", "type": "play", "audio": ["beep"], "next": "clerk"},
                  {"id": "clerk", "type": "transfer", "to": "account", "target": "%d", "ringSeconds": 20, "error": "sorry"},
                  {"id": "sorry", "type": "hangup", "reason": "no clerk"}]}""".formatted(clerk.id()))));
        int clerkPort = FreePorts.udpAndTcp();
        Path users = Sipp.injection(tmp, "clerk.csv", List.of(List.of(clerk.number(), PASSWORD, "300")));
        assertThat(Sipp.run(tmp, "127.0.0.1:" + SIP_PORT, "register.xml", clerkPort, "-inf", users.toString(), "-m", "1").passed())
                .isTrue();
        try (Sipp.Running phoneOfClerk = Sipp.start(tmp, null, "uas-bye.xml", clerkPort, "-m", "1");
             Phone phone = new Phone()) {
            Path inject = Sipp.injection(tmp, "caller.csv", List.of(List.of(caller.number(), PASSWORD, ivr.number())));
            try (Sipp.Running uac = Sipp.start(tmp, "127.0.0.1:" + SIP_PORT, "uac-ivr.xml", FreePorts.udpAndTcp(),
                    "-m", "1", "-inf", inject.toString(), "-key", "caller_rtp", Integer.toString(phone.socket.getLocalPort()))) {
                Sipp.Result answered = phoneOfClerk.await(Duration.ofSeconds(30));
                assertThat(answered.passed()).as("the clerk's phone rang with the caller's call, answered and hung up: "
                        + answered.output()).isTrue();
                assertThat(uac.await(Duration.ofSeconds(20)).passed()).as("the caller got the BYE after the clerk hung up")
                        .isTrue();
            }
        }
        long until = System.currentTimeMillis() + 10_000;
        List<Ivrs.Run> runs = List.of();
        while (runs.isEmpty() && System.currentTimeMillis() < until) {
            Thread.sleep(200);
            runs = admin.call(Methods.IVR_RUNS, new Ivrs.RunsParams(null, ivr.id(), 5), admin.listOf(Ivrs.Run.class));
        }
        assertThat(runs).singleElement().satisfies(r -> {
            assertThat(r.trace().path()).containsExactly("hello", "clerk");
            assertThat(r.trace().end()).isEqualTo("transfer");
            assertThat(r.trace().detail()).contains(clerk.number()).contains("connected");
        });
    }
}

package org.callibry.server.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.callibry.server.api.ApiTestSupport;
import org.callibry.server.calls.CallAnswered;
import org.callibry.server.calls.CallEnded;
import org.callibry.server.calls.CallOffered;
import org.callibry.server.calls.CallTransferred;
import org.callibry.server.testing.CallEventLog;
import org.callibry.shared.testing.FreePorts;
import org.callibry.server.testing.Sipp;
import org.callibry.shared.api.client.CallibryClient;
import org.callibry.shared.api.dto.Accounts;
import org.callibry.shared.api.dto.Cdrs;
import org.callibry.shared.api.dto.Domains;
import org.callibry.shared.api.dto.Peers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The proxy with SIPp as caller, callee and gateways, all on 127.0.0.1:
 * an authenticated call between registered accounts (407, then 100/180/200, ACK, BYE through the
 * Record-Route), busy, cancel, a re-INVITE, a BYE from the callee, failover from a failing gateway to a
 * second one, refusal of unroutable calls, a trusted peer calling without authentication; the route
 * options enforced by the proxy: the maximum call duration (BYE to both parties) and the caller-ID
 * override (P-Asserted-Identity); the call lifecycle events of a call the caller transfers (REFER), and
 * the transferee's new call carrying the transferred call's id.
 */
class ProxyIT extends ApiTestSupport {
    private static final Duration WAIT = Duration.ofSeconds(40);

    @TempDir
    Path tmp;

    @org.springframework.beans.factory.annotation.Autowired
    CallEventLog events;

    private CallibryClient admin;
    private Domains.Domain demo;
    private Accounts.Account caller;
    private Accounts.Account callee;

    @BeforeEach
    void accountsAndRoute() {
        admin = admin();
        demo = admin.domains().list(new Domains.ListParams(null, "demo.callibry.test", null, null)).items().getFirst();
        int n = 10_000 + (int) (Math.random() * 80_000);
        caller = admin.accounts().create(new Accounts.Create(demo.id(), "3" + n, "Caller", PASSWORD, null));
        callee = admin.accounts().create(new Accounts.Create(demo.id(), "4" + n, "Callee", PASSWORD, null));
        route("to " + callee.number(), "^" + callee.number() + "$", "LOCAL", null, false);
    }

    private long route(String name, String bMask, String type, String destination, boolean continueOnFailure) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", name + " " + unique("r"));
        p.put("priority", 1);
        p.put("bNumberMask", bMask);
        p.put("destinationType", type);
        p.put("destination", destination);
        p.put("continueOnFailure", continueOnFailure);
        return admin.call("route.create", p, JsonNode.class).get("id").asLong();
    }

    private String server() {
        return "127.0.0.1:" + SIP_PORT;
    }

    private Path callerFile(String callee) throws Exception {
        return Sipp.injection(tmp, "caller-" + callee + ".csv", List.of(List.of(caller.number(), PASSWORD, callee)));
    }

    /** Registers the callee from {@code port} and starts {@code scenario} there to answer one call. */
    private Sipp.Running calleeAnswers(String scenario) throws Exception {
        int port = FreePorts.udpAndTcp();
        Path users = Sipp.injection(tmp, "callee.csv", List.of(List.of(callee.number(), PASSWORD, "300")));
        Sipp.Result reg = Sipp.run(tmp, server(), "register.xml", port, "-inf", users.toString(), "-m", "1");
        assertThat(reg.passed()).as(reg.output()).isTrue();
        return Sipp.start(tmp, null, scenario, port, "-m", "1");
    }

    private void assertCall(String uacScenario, String uasScenario) throws Exception {
        try (Sipp.Running uas = calleeAnswers(uasScenario)) {
            Thread.sleep(300);
            Sipp.Result uac = Sipp.run(tmp, server(), uacScenario, FreePorts.udpAndTcp(), "-inf",
                    callerFile(callee.number()).toString(), "-m", "1");
            assertThat(uac.passed()).as("caller: " + uac.output()).isTrue();
            Sipp.Result answered = uas.await(WAIT);
            assertThat(answered.passed()).as("callee: " + answered.output()).isTrue();
        }
    }

    @org.junit.jupiter.api.AfterEach
    void relayReleasedOnEveryPath() throws Exception {
        long deadline = System.currentTimeMillis() + 5_000;
        while (metric("callibry_media_relay_calls") > 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertThat(metric("callibry_media_relay_calls")).as("relay ports released when the call is over").isZero();
    }

    @Test
    void aCallerBehindNatIsRelayedEvenWhereTheRouteDoesNotAskForIt() throws Exception {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", unique("no-relay"));
        p.put("priority", 0);
        p.put("bNumberMask", "^" + callee.number() + "$");
        p.put("destinationType", "LOCAL");
        p.put("relayMedia", false);
        admin.call("route.create", p, JsonNode.class);
        double relayedCalls = metric("callibry_media_relay_calls");
        assertCall("uac-nat.xml", "uas-relayed.xml"); // both SDPs checked to point at the relay
        assertThat(relayedCalls).isZero();
    }

    @Test
    void aCallWhoseMediaStopsIsEndedWithAByeToBothParties() throws Exception {
        // callibry.sip.media-timeout is 5 s in the tests; SIPp sends no RTP
        assertCall("uac-media-timeout.xml", "uas-media-timeout.xml");
        Cdrs.Cdr cdr = awaitCdr(caller.number());
        assertThat(cdr.disposition()).isEqualTo(Cdrs.Disposition.ANSWERED);
        assertThat(cdr.reason()).startsWith("media timeout: no RTP for");
    }

    @Test
    void callsARegisteredAccountAfterDigestChallenge() throws Exception {
        assertCall("uac.xml", "uas.xml");
        Cdrs.Cdr cdr = awaitCdr(caller.number());
        assertThat(cdr.disposition()).isEqualTo(Cdrs.Disposition.ANSWERED);
        assertThat(cdr.bNumber()).isEqualTo(callee.number());
        assertThat(cdr.routeName()).startsWith("to " + callee.number());
        assertThat(cdr.tenantId()).isEqualTo(demo.tenantId());
        assertThat(cdr.answeredAt()).isNotNull();
        assertThat(cdr.endedAt()).isAfterOrEqualTo(cdr.answeredAt());
    }

    @Test
    void forksToEveryContactAndCancelsTheOthersWhenOneAnswers() throws Exception {
        int deskPhone = FreePorts.udpAndTcp();
        int mobile = FreePorts.udpAndTcp();
        Path users = Sipp.injection(tmp, "fork.csv", List.of(List.of(callee.number(), PASSWORD, "300")));
        assertThat(Sipp.run(tmp, server(), "register.xml", deskPhone, "-inf", users.toString(), "-m", "1").passed()).isTrue();
        assertThat(Sipp.run(tmp, server(), "register.xml", mobile, "-inf", users.toString(), "-m", "1").passed()).isTrue();
        assertThat(admin.accounts().get(callee.id()).registeredContacts()).isEqualTo(2);
        try (Sipp.Running answers = Sipp.start(tmp, null, "uas.xml", deskPhone, "-m", "1");
             Sipp.Running rings = Sipp.start(tmp, null, "uas-ring.xml", mobile, "-m", "1")) {
            Thread.sleep(300);
            Sipp.Result uac = Sipp.run(tmp, server(), "uac.xml", FreePorts.udpAndTcp(), "-inf", callerFile(callee.number()).toString(),
                    "-m", "1");
            assertThat(uac.passed()).as(uac.output()).isTrue();
            assertThat(answers.await(WAIT).passed()).as("the desk phone answered").isTrue();
            assertThat(rings.await(WAIT).passed()).as("the mobile was cancelled").isTrue();
        }
    }

    @Test
    void aTcpCallerAndAUdpCalleeEachKeepTheirTransport() throws Exception {
        try (Sipp.Running uas = calleeAnswers("uas.xml")) {
            Thread.sleep(300);
            // the proxy record-routes twice (RFC 5658): the caller's ACK and BYE come back over TCP
            Sipp.Result uac = Sipp.run(tmp, server(), "uac.xml", FreePorts.udpAndTcp(), "-t", "t1", "-inf",
                    callerFile(callee.number()).toString(), "-m", "1");
            assertThat(uac.passed()).as(uac.output()).isTrue();
            assertThat(uas.await(WAIT).passed()).isTrue();
        }
    }

    @Test
    void aBusyCalleeIsReportedToTheCaller() throws Exception {
        assertCall("uac-busy.xml", "uas-busy.xml");
        Cdrs.Cdr cdr = awaitCdr(caller.number());
        assertThat(cdr.disposition()).isEqualTo(Cdrs.Disposition.BUSY);
        assertThat(cdr.sipCode()).isEqualTo(486);
    }

    @Test
    void demoAccountsCallEachOtherThroughTheDemoRoutes() throws Exception {
        int port = FreePorts.udpAndTcp();
        Path users = Sipp.injection(tmp, "demo-callee.csv", List.of(List.of("1002", DEMO_PASSWORD, "300")));
        assertThat(Sipp.run(tmp, server(), "register.xml", port, "-inf", users.toString(), "-m", "1").passed()).isTrue();
        try (Sipp.Running uas = Sipp.start(tmp, null, "uas.xml", port, "-m", "1")) {
            Thread.sleep(300);
            Path file = Sipp.injection(tmp, "demo-caller.csv", List.of(List.of("1001", DEMO_PASSWORD, "1002")));
            Sipp.Result uac = Sipp.run(tmp, server(), "uac.xml", FreePorts.udpAndTcp(), "-inf", file.toString(), "-m", "1");
            assertThat(uac.passed()).as(uac.output()).isTrue();
            assertThat(uas.await(WAIT).passed()).isTrue();
        }
    }

    /** The newest detail record of calls from {@code aNumber}, once the batch writer has stored it. */
    private Cdrs.Cdr awaitCdr(String aNumber) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            var found = admin.cdrs(new Cdrs.SearchParams(aNumber, null, Cdrs.Match.EXACT, null, null, null, null, null, null, null));
            if (!found.items().isEmpty()) {
                return found.items().getFirst();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no CDR for calls from " + aNumber);
    }

    @Test
    void theCallerCancelsWhileItRings() throws Exception {
        assertCall("uac-cancel.xml", "uas-ring.xml");
    }

    @Test
    void aReInviteAndTheByeFollowTheRecordRoute() throws Exception {
        assertCall("uac-reinvite.xml", "uas-reinvite.xml");
    }

    @Test
    void theCalleeHangsUp() throws Exception {
        assertCall("uac-callee-bye.xml", "uas-bye.xml");
    }

    @Test
    void aPhoneBehindNatIsReachedAtItsSourceAddressAndKeptAlive() throws Exception {
        int port = FreePorts.udpAndTcp();
        Path users = Sipp.injection(tmp, "nat.csv", List.of(List.of(callee.number(), PASSWORD, "300")));
        Sipp.Result reg = Sipp.run(tmp, server(), "register-nat.xml", port, "-inf", users.toString(), "-m", "1");
        assertThat(reg.passed()).as(reg.output()).isTrue();
        // its Contact says 192.0.2.33:5060, yet the keep-alive and the call reach it where it registered from
        assertThat(Sipp.run(tmp, null, "uas-keepalive.xml", port, "-m", "1").passed()).as("keep-alive OPTIONS arrives").isTrue();
        try (Sipp.Running uas = Sipp.start(tmp, null, "uas.xml", port, "-m", "1")) {
            Thread.sleep(300);
            Sipp.Result uac = Sipp.run(tmp, server(), "uac.xml", FreePorts.udpAndTcp(), "-inf",
                    callerFile(callee.number()).toString(), "-m", "1");
            assertThat(uac.passed()).as(uac.output()).isTrue();
            assertThat(uas.await(WAIT).passed()).isTrue();
        }
    }

    @Test
    void anAccountWithoutRegistrationIsTemporarilyUnavailable() throws Exception {
        Sipp.Result uac = Sipp.run(tmp, server(), "uac-unavailable.xml", FreePorts.udpAndTcp(), "-inf",
                callerFile(callee.number()).toString(), "-m", "1");
        assertThat(uac.passed()).as(uac.output()).isTrue();
    }

    @Test
    void aNumberNoRouteAllowsIsRefused() throws Exception {
        Sipp.Result uac = Sipp.run(tmp, server(), "uac-noroute.xml", FreePorts.udpAndTcp(), "-inf",
                callerFile("00999123").toString(), "-m", "1");
        assertThat(uac.passed()).as(uac.output()).isTrue();
    }

    @Test
    void failsOverFromAFailingGatewayToTheNextRoute() throws Exception {
        int gw1 = FreePorts.udpAndTcp();
        int gw2 = FreePorts.udpAndTcp();
        String number = "77" + (int) (Math.random() * 1_000_000);
        route("gw1", "^" + number + "$", "GATEWAY", "127.0.0.1:" + gw1, true);
        // same priority: the later one (higher id) comes second
        route("gw2", "^" + number + "$", "GATEWAY", "127.0.0.1:" + gw2, false);
        try (Sipp.Running failing = Sipp.start(tmp, null, "uas-503.xml", gw1, "-m", "1");
             Sipp.Running answering = Sipp.start(tmp, null, "uas.xml", gw2, "-m", "1")) {
            Thread.sleep(300);
            Sipp.Result uac = Sipp.run(tmp, server(), "uac.xml", FreePorts.udpAndTcp(), "-inf", callerFile(number).toString(), "-m", "1");
            assertThat(uac.passed()).as(uac.output()).isTrue();
            assertThat(failing.await(WAIT).passed()).isTrue();
            assertThat(answering.await(WAIT).passed()).isTrue();
        }
    }

    @Test
    void aGatewayThatNeverAnswersIsGivenUpBeforeTimerBAndTheNextRouteTried() throws Exception {
        String number = "78" + (int) (Math.random() * 1_000_000);
        try (java.net.DatagramSocket silent = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            route("silent", "^" + number + "$", "GATEWAY", "127.0.0.1:" + silent.getLocalPort(), true);
            int gw2 = FreePorts.udpAndTcp();
            route("answering", "^" + number + "$", "GATEWAY", "127.0.0.1:" + gw2, false); // same priority: tried second
            java.util.concurrent.atomic.AtomicInteger invites = new java.util.concurrent.atomic.AtomicInteger();
            Thread reader = Thread.ofVirtual().start(() -> {
                byte[] buf = new byte[65536];
                while (!silent.isClosed()) {
                    try {
                        java.net.DatagramPacket p = new java.net.DatagramPacket(buf, buf.length);
                        silent.receive(p);
                        if (new String(buf, 0, p.getLength(), java.nio.charset.StandardCharsets.UTF_8).startsWith("INVITE ")) {
                            invites.incrementAndGet();
                        }
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            });
            try (Sipp.Running answering = Sipp.start(tmp, null, "uas.xml", gw2, "-m", "1")) {
                Thread.sleep(300);
                Sipp.Result uac = Sipp.run(tmp, server(), "uac.xml", FreePorts.udpAndTcp(), "-inf", callerFile(number).toString(), "-m", "1");
                assertThat(uac.passed()).as(uac.output()).isTrue();
                assertThat(answering.await(WAIT).passed()).isTrue();
            }
            Thread.sleep(2000); // timer B would still be retransmitting now (at 15.5 and 31.5 s)
            assertThat(invites).as("the INVITE and its retransmissions at 0.5, 1.5, 3.5 and 7.5 s, then given up (8 s)")
                    .hasValue(5);
            silent.close();
            reader.join(2000);
        }
    }

    @Test
    void aTrustedPeerCallsWithoutAuthentication() throws Exception {
        long peer = admin.peers().create(new Peers.Create(unique("gw"), "127.0.0.2", null, null)).id();
        try (Sipp.Running uas = calleeAnswers("uas.xml")) {
            Thread.sleep(300);
            Path file = Sipp.injection(tmp, "peer.csv", List.of(List.of("gateway", "", callee.number())));
            Sipp.Result uac = Sipp.run(tmp, server(), "peer-uac.xml", FreePorts.udpAndTcp(), "-i", "127.0.0.2", "-inf", file.toString(),
                    "-m", "1");
            assertThat(uac.passed()).as(uac.output()).isTrue();
            assertThat(uas.await(WAIT).passed()).isTrue();
        } finally {
            admin.peers().delete(peer);
        }
    }

    /** A route to the callee, ahead of the test's own, with one more option set. */
    private void routeWith(String option, Object value) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", unique(option));
        p.put("priority", 0);
        p.put("bNumberMask", "^" + callee.number() + "$");
        p.put("destinationType", "LOCAL");
        p.put(option, value);
        admin.call("route.create", p, JsonNode.class);
    }

    @Test
    void aCallLongerThanTheRoutesMaximumIsEndedWithAByeToBothParties() throws Exception {
        routeWith("maxDurationSeconds", 2);
        assertCall("uac-media-timeout.xml", "uas-media-timeout.xml"); // both sides wait for the proxy's BYE
        Cdrs.Cdr cdr = awaitCdr(caller.number());
        assertThat(cdr.disposition()).isEqualTo(Cdrs.Disposition.ANSWERED);
        assertThat(cdr.reason()).isEqualTo("maximum duration of 2 s reached");
        assertThat(Duration.between(cdr.answeredAt(), cdr.endedAt())).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    }

    @Test
    void theRoutesCallerIdIsAssertedToTheCallee() throws Exception {
        routeWith("callerId", "5550100");
        assertCall("uac.xml", "uas-pai.xml"); // the callee fails the call without P-Asserted-Identity <sip:5550100@...>
        Cdrs.Cdr cdr = awaitCdr(caller.number());
        assertThat(cdr.aNumberRouted()).isEqualTo("5550100");
    }

    @Test
    void aCallsLifecycleIsPublishedOfferedAnsweredTransferredEnded() throws Exception {
        assertCall("uac-refer.xml", "uas-refer.xml"); // the caller REFERs the callee to 5550199, which accepts (202)
        Cdrs.Cdr cdr = awaitCdr(caller.number());
        String id = cdr.callId();
        Duration within = Duration.ofSeconds(5);
        assertThat(events.await(CallOffered.class, e -> e.callId().equals(id), within)).singleElement()
                .satisfies(e -> assertThat(e.bNumber()).isEqualTo(callee.number()));
        assertThat(events.await(CallAnswered.class, e -> e.callId().equals(id), within)).hasSize(1);
        assertThat(events.await(CallTransferred.class, e -> e.callId().equals(id), within)).singleElement().satisfies(e -> {
            assertThat(e.by()).isEqualTo("caller");
            assertThat(e.target()).startsWith("sip:5550199@");
            assertThat(e.tenantId()).isEqualTo(demo.tenantId());
        });
        assertThat(events.await(CallEnded.class, e -> e.callId().equals(id), within)).singleElement()
                .satisfies(e -> assertThat(e.reason()).isEqualTo("BYE from caller"));
    }

    @Test
    void theTransfereesNewCallContinuesTheTransferredCall() throws Exception {
        List<CallTransferred> transferred;
        try (Sipp.Running uas = calleeAnswers("uas-referrer.xml")) { // the callee REFERs the caller to 5550199
            Thread.sleep(300);
            try (Sipp.Running uac = Sipp.start(tmp, server(), "uac-transferee.xml", FreePorts.udpAndTcp(), "-inf",
                    callerFile(callee.number()).toString(), "-m", "1")) {
                transferred = events.await(CallTransferred.class, e -> caller.number().equals(e.aNumber()), Duration.ofSeconds(20));
                if (transferred.isEmpty()) {
                    throw new AssertionError("no transfer; callee: " + uas.await(WAIT).output() + "\ncaller: " + uac.await(WAIT).output());
                }
                assertThat(transferred).singleElement().satisfies(e -> assertThat(e.by()).isEqualTo("callee"));
                // the transferee dials the target: a new call with a SIP Call-ID of its own (here one no route allows)
                Sipp.Result dial = Sipp.run(tmp, server(), "uac-noroute.xml", FreePorts.udpAndTcp(), "-inf",
                        callerFile("5550199").toString(), "-m", "1");
                assertThat(dial.passed()).as(dial.output()).isTrue();
                assertThat(uac.await(WAIT).passed()).isTrue();
                assertThat(uas.await(WAIT).passed()).isTrue();
            }
        }
        String id = transferred.getFirst().callId();
        assertThat(events.await(CallEnded.class, e -> "5550199".equals(e.bNumber()) && caller.number().equals(e.aNumber()),
                Duration.ofSeconds(5))).singleElement().satisfies(e -> {
                    assertThat(e.sipCode()).isEqualTo(403);
                    assertThat(e.callId()).as("the transferee's call continues the transferred one").isEqualTo(id);
                });
    }
}

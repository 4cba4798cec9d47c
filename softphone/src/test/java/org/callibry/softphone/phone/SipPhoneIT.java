package org.callibry.softphone.phone;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.callibry.shared.media.Goertzel;
import org.callibry.shared.media.WavReader;
import org.callibry.softphone.history.CallHistory;
import org.callibry.softphone.settings.Settings;
import org.callibry.softphone.sip.SipTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two complete phones (user agent + RTP sessions, WAV files for microphone and speaker) register with
 * the packaged server and call each other through its relay: the callee's phone rings (ringtone on
 * its ring device), the caller hears ringback, then each hears the other's tone, and the call lands
 * in both histories.
 */
class SipPhoneIT {
    @TempDir
    Path dir;

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        while (!condition.getAsBoolean() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(condition.getAsBoolean()).as(what).isTrue();
    }

    private TestHandset handset(String name, String number, int toneHz, SipTestServer server) throws Exception {
        return TestHandset.registering(dir.resolve(name), toneHz, server, number);
    }

    private TestHandset handset(String name, Settings settings, int toneHz) throws Exception {
        TestHandset h = TestHandset.create(dir.resolve(name), toneHz);
        h.phone().register(settings);
        return h;
    }

    @Test
    void twoPhonesHearEachOtherThroughTheServer() throws Exception {
        try (SipTestServer server = SipTestServer.start(dir.resolve("server"))) {
            server.account("1701", "Alice");
            server.account("1702", "Bob");
            TestHandset alice = handset("alice", "1701", 440, server);
            TestHandset bob = handset("bob", "1702", 1000, server);
            try {
                await("both registered", () -> alice.registrations().contains(Phone.Registration.REGISTERED)
                        && bob.registrations().contains(Phone.Registration.REGISTERED));
                alice.phone().dial("1702");
                await("bob rings", () -> bob.state() == Phone.CallState.RINGING);
                Thread.sleep(1500); // let bob ring and alice hear ringback for a while
                bob.phone().answer();
                await("both talking", () -> alice.state() == Phone.CallState.ACTIVE && bob.state() == Phone.CallState.ACTIVE);
                Thread.sleep(3000);
                alice.phone().hangup();
                await("both ended", () -> alice.state() == Phone.CallState.ENDED && bob.state() == Phone.CallState.ENDED);
                Thread.sleep(300);
            } finally {
                alice.phone().close();
                bob.phone().close();
            }
            short[] bobHeard = WavReader.read(bob.heard()).samples();
            short[] aliceHeard = WavReader.read(alice.heard()).samples();
            assertThat(bobHeard.length).as("bob heard about 3 s").isGreaterThan(8000 * 2);
            assertThat(Goertzel.dominant(bobHeard, 8000, 440, 1000)).as("bob hears alice's 440 Hz").isEqualTo(440);
            assertThat(Goertzel.dominant(aliceHeard, 8000, 440, 1000)).as("alice hears bob's 1000 Hz").isEqualTo(1000);
            short[] ring = WavReader.read(bob.dir().resolve("ring.wav")).samples();
            assertThat(ring.length).as("bob's phone rang").isGreaterThan(4000);
            assertThat(Goertzel.dominant(ring, 8000, 400, 425, 1000)).as("the ringtone").isEqualTo(400);
            short[] ringback = WavReader.read(alice.dir().resolve("ringback.wav")).samples();
            assertThat(Goertzel.dominant(ringback, 8000, 425, 400, 440)).as("alice heard ringback").isEqualTo(425);
            assertThat(alice.history().entries().getFirst().kind()).isEqualTo(CallHistory.Kind.DIALLED);
            assertThat(bob.history().entries().getFirst().kind()).isEqualTo(CallHistory.Kind.RECEIVED);
        }
    }

    @Test
    void attendedTransferConnectsTheCallerWithTheConsultedParty() throws Exception {
        try (SipTestServer server = SipTestServer.start(dir.resolve("server"))) {
            server.account("1703", "Ann");
            server.account("1704", "Ben");
            server.account("1705", "Cid");
            TestHandset ann = handset("ann", "1703", 440, server);
            TestHandset ben = handset("ben", "1704", 1000, server);
            TestHandset cid = handset("cid", "1705", 700, server);
            try {
                await("all registered", () -> ann.registrations().contains(Phone.Registration.REGISTERED)
                        && ben.registrations().contains(Phone.Registration.REGISTERED)
                        && cid.registrations().contains(Phone.Registration.REGISTERED));
                ann.phone().dial("1704");
                await("ben rings", () -> ben.state() == Phone.CallState.RINGING);
                ben.phone().answer();
                await("ann and ben talk", () -> ann.state() == Phone.CallState.ACTIVE && ben.state() == Phone.CallState.ACTIVE);
                ben.phone().consult("1705");
                await("cid rings", () -> cid.state() == Phone.CallState.RINGING);
                cid.phone().answer();
                await("ben talks to cid", () -> cid.state() == Phone.CallState.ACTIVE);
                ben.phone().completeTransfer();
                await("ben is out of both calls", () -> ben.calls().stream().filter(c -> c.state() == Phone.CallState.ENDED)
                        .map(Phone.CallInfo::id).distinct().count() == 2);
                // ann's new call (INVITE with Replaces to cid) is up while her call with ben ends, in either order
                // ann's new call (INVITE with Replaces to cid) is up; the calls with ben end, in any order
                await("ann talks to cid", () -> ann.calls().stream().anyMatch(c -> c.peer().equals("1705") && c.state() == Phone.CallState.ACTIVE)
                        && cid.calls().stream().anyMatch(c -> c.peer().equals("1703") && c.state() == Phone.CallState.ACTIVE));
                Thread.sleep(3000); // ann and cid talk
                ann.phone().hangup();
                await("ann and cid ended", () -> ann.state() == Phone.CallState.ENDED && cid.state() == Phone.CallState.ENDED);
                Thread.sleep(300);
            } finally {
                ann.phone().close();
                ben.phone().close();
                cid.phone().close();
            }
            short[] cidHeard = WavReader.read(cid.heard()).samples();
            assertThat(Goertzel.share(cidHeard, 0, cidHeard.length, 8000, 440)).as("cid hears ann's 440 Hz after the transfer")
                    .isGreaterThan(0.1);
        }
    }

    @Test
    void oneSoftphoneWithTwoAccountsTakesCallsOnBothAndCallsOutOnTheChosenOne() throws Exception {
        try (SipTestServer server = SipTestServer.start(dir.resolve("server"))) {
            server.account("1711", "Desk");
            server.account("1712", "Queue line");
            server.account("1713", "Carol");
            String first = "1711@127.0.0.1:" + server.sipPort;
            String second = "1712@127.0.0.1:" + server.sipPort;
            Settings two = Settings.defaults().withServer("127.0.0.1:" + server.sipPort).withUser("1711")
                    .withPassword(SipTestServer.PASSWORD).withMoreAccounts(List.of(
                            new Settings.Account("127.0.0.1:" + server.sipPort, "tcp", "1712", SipTestServer.PASSWORD, "Queue line")));
            TestHandset desk = handset("desk", two, 440);
            TestHandset carol = handset("carol", "1713", 1000, server);
            try {
                await("both lines and carol registered", () -> desk.phone().status().size() == 2
                        && desk.phone().status().stream().allMatch(s -> s.state() == Phone.Registration.REGISTERED)
                        && carol.registrations().contains(Phone.Registration.REGISTERED));
                assertThat(desk.phone().status()).extracting(Phone.AccountStatus::account).containsExactly(first, second);

                carol.phone().dial("1712"); // the second line (TCP)
                await("desk rings on its second line", () -> desk.state() == Phone.CallState.RINGING);
                assertThat(desk.calls().getLast().account()).isEqualTo(second);
                desk.phone().answer();
                await("talking", () -> desk.state() == Phone.CallState.ACTIVE && carol.state() == Phone.CallState.ACTIVE);
                Thread.sleep(2000);
                carol.phone().hangup();
                await("ended", () -> desk.state() == Phone.CallState.ENDED && carol.state() == Phone.CallState.ENDED);

                desk.phone().useAccount(second);
                desk.phone().dial("1713");
                await("carol rings", () -> carol.state() == Phone.CallState.RINGING);
                assertThat(carol.calls().getLast().peer()).as("the call comes from the line chosen").isEqualTo("1712");
                carol.phone().reject();
                await("refused", () -> desk.state() == Phone.CallState.ENDED);

                carol.phone().dial("1711"); // the first line still takes calls
                await("desk rings on its first line", () -> desk.state() == Phone.CallState.RINGING
                        && first.equals(desk.calls().getLast().account()));
                carol.phone().hangup();
                await("cancelled", () -> desk.state() == Phone.CallState.ENDED);
            } finally {
                desk.phone().close();
                carol.phone().close();
            }
            short[] heard = WavReader.read(desk.heard()).samples();
            assertThat(Goertzel.dominant(heard, 8000, 440, 1000)).as("the desk heard carol on its second line").isEqualTo(1000);
        }
    }

    @Test
    void autoAnswerTakesACallWhenIdleAndLetsASecondOneRing() throws Exception {
        try (SipTestServer server = SipTestServer.start(dir.resolve("server"))) {
            server.account("1721", "Headset operator");
            server.account("1722", "First caller");
            server.account("1723", "Second caller");
            TestHandset operator = handset("operator", Settings.defaults().withServer("127.0.0.1:" + server.sipPort).withUser("1721")
                    .withPassword(SipTestServer.PASSWORD).withAutoAnswer(true), 440);
            TestHandset first = handset("first", "1722", 1000, server);
            TestHandset second = handset("second", "1723", 700, server);
            try {
                await("registered", () -> operator.registrations().contains(Phone.Registration.REGISTERED)
                        && first.registrations().contains(Phone.Registration.REGISTERED)
                        && second.registrations().contains(Phone.Registration.REGISTERED));
                first.phone().dial("1721");
                await("answered by itself", () -> first.state() == Phone.CallState.ACTIVE);
                second.phone().dial("1721");
                await("the second call rings at the operator", () -> operator.calls().stream()
                        .anyMatch(c -> c.peer().equals("1723") && c.state() == Phone.CallState.RINGING));
                Thread.sleep(1000);
                assertThat(operator.calls().stream().filter(c -> c.peer().equals("1723")).map(Phone.CallInfo::state).toList())
                        .as("not taken while talking").doesNotContain(Phone.CallState.ACTIVE);
                assertThat(first.state()).as("the first call goes on").isEqualTo(Phone.CallState.ACTIVE);
                second.phone().hangup();
                first.phone().hangup();
                await("ended", () -> first.state() == Phone.CallState.ENDED && second.state() == Phone.CallState.ENDED);
            } finally {
                operator.phone().close();
                first.phone().close();
                second.phone().close();
            }
        }
    }

    @Test
    void aCallWhoseOtherSideFallsSilentOnTheNetworkEndsSayingTheConnectionWasLost() throws Exception {
        try (SipTestServer server = SipTestServer.start(dir.resolve("server"))) {
            server.account("1741", "Operator");
            server.account("1742", "A phone that loses its network");
            TestHandset operator = handset("operator", "1741", 440, server);
            operator.phone().setMediaTimeout(java.time.Duration.ofSeconds(3));
            List<org.callibry.softphone.sip.Call> incoming = new CopyOnWriteArrayList<>();
            // signalling only: it answers, then no RTP ever comes from it, as when its network goes away
            org.callibry.softphone.sip.UserAgent gone = new org.callibry.softphone.sip.UserAgent(
                    server.settings("1742", org.callibry.softphone.sip.Transport.UDP), new org.callibry.softphone.sip.UserAgentListener() {
                        @Override
                        public void incomingCall(org.callibry.softphone.sip.Call call) {
                            incoming.add(call);
                        }
                    });
            try {
                gone.start();
                gone.register();
                await("registered", () -> operator.registrations().contains(Phone.Registration.REGISTERED)
                        && gone.registration().state() == org.callibry.softphone.sip.RegistrationState.REGISTERED);
                operator.phone().dial("1742");
                await("it rings", () -> !incoming.isEmpty());
                incoming.getFirst().answer();
                await("answered", () -> operator.state() == Phone.CallState.ACTIVE);
                long answered = System.nanoTime();
                await("dropped", () -> operator.state() == Phone.CallState.ENDED);
                long afterMillis = (System.nanoTime() - answered) / 1_000_000;
                Phone.CallInfo end = operator.calls().getLast();
                assertThat(end.ending().kind()).isEqualTo("CONNECTION_LOST");
                assertThat(end.reason()).startsWith("no audio from the other side for 3 s");
                assertThat(afterMillis).as("after the 3 s media timeout, not before").isGreaterThanOrEqualTo(2900);
                await("the other side got the BYE", () -> incoming.getFirst().state() == org.callibry.softphone.sip.CallState.ENDED);
            } finally {
                operator.phone().close();
                gone.close();
            }
        }
    }

    @Test
    void addingAnAccountDuringACallLeavesTheCallAndTheRegisteredLineAlone() throws Exception {
        try (SipTestServer server = SipTestServer.start(dir.resolve("server"))) {
            server.account("1751", "Desk");
            server.account("1752", "Queue line");
            server.account("1753", "Carol");
            Settings one = Settings.defaults().withServer("127.0.0.1:" + server.sipPort).withUser("1751")
                    .withPassword(SipTestServer.PASSWORD);
            TestHandset desk = handset("desk", one, 440);
            TestHandset carol = handset("carol", "1753", 1000, server);
            try {
                await("registered", () -> desk.registered() && carol.registered());
                carol.phone().dial("1751");
                await("desk rings", () -> desk.state() == Phone.CallState.RINGING);
                desk.phone().answer();
                await("talking", () -> desk.state() == Phone.CallState.ACTIVE && carol.state() == Phone.CallState.ACTIVE);

                desk.phone().register(one.withMoreAccounts(List.of(
                        new Settings.Account("127.0.0.1:" + server.sipPort, "udp", "1752", SipTestServer.PASSWORD, ""))));
                await("the new line registered", () -> desk.phone().status().size() == 2
                        && desk.phone().status().stream().allMatch(st -> st.state() == Phone.Registration.REGISTERED));
                Thread.sleep(1000);
                assertThat(desk.state()).as("the call on the first line goes on").isEqualTo(Phone.CallState.ACTIVE);
                assertThat(carol.state()).isEqualTo(Phone.CallState.ACTIVE);
                desk.phone().hangup();
                await("ended", () -> carol.state() == Phone.CallState.ENDED);
            } finally {
                desk.phone().close();
                carol.phone().close();
            }
        }
    }
}

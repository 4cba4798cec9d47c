package org.callibry.softphone.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.callibry.softphone.sip.Recorder.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.callibry.shared.api.dto.Accounts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The softphone's user agent against the real server (the packaged jar in its own JVM), real SIP over
 * loopback, several agents in one test. Scenarios: register with digest; wrong password; server
 * unreachable; a call between two agents (ringing, answer, media through the relay, hold/resume,
 * DTMF by INFO, MESSAGE both ways, hang-up); busy; cancel while ringing; call waiting; blind transfer
 * (the transferee calls the target); attended transfer (REFER with Replaces, the target replaces the
 * consultation call).
 */
class UserAgentIT {
    private static final AtomicInteger NUMBERS = new AtomicInteger(1200);
    private static SipTestServer server;
    private static Path dir;
    private final List<UserAgent> agents = new ArrayList<>();

    @BeforeAll
    static void startServer() throws Exception {
        dir = Files.createTempDirectory("softphone-it");
        server = SipTestServer.start(dir);
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    @AfterEach
    void closeAgents() {
        agents.forEach(UserAgent::close);
    }

    private record Phone(UserAgent agent, Recorder events, Accounts.Account account) {
        String number() {
            return account.number();
        }

        Call lastIncoming() {
            return events.incoming.getLast();
        }
    }

    private Phone phone() throws Exception {
        String number = Integer.toString(NUMBERS.incrementAndGet());
        Accounts.Account a = server.account(number, "Phone " + number);
        return phone(a, server.settings(number, Transport.UDP));
    }

    private Phone phone(Accounts.Account a, SoftphoneAccount settings) throws Exception {
        Recorder r = new Recorder();
        UserAgent ua = new UserAgent(settings, r);
        agents.add(ua);
        ua.start();
        return new Phone(ua, r, a);
    }

    private Phone registered() throws Exception {
        Phone p = phone();
        p.agent().register();
        await("registered", () -> p.agent().registration().state() == RegistrationState.REGISTERED);
        return p;
    }

    /** {@code from} calls {@code to}, which answers: both ACTIVE. */
    private Call[] connect(Phone from, Phone to) throws Exception {
        int before = to.events().incoming.size();
        Call out = from.agent().call(to.number());
        await("incoming call", () -> to.events().incoming.size() > before);
        Call in = to.lastIncoming();
        await("ringing", () -> in.state() == CallState.RINGING);
        in.answer();
        await("both active", () -> out.state() == CallState.ACTIVE && in.state() == CallState.ACTIVE);
        return new Call[] {out, in};
    }

    @Test
    void registersWithDigestAuthentication() throws Exception {
        Phone p = phone();
        p.agent().register();

        await("registered", () -> p.agent().registration().state() == RegistrationState.REGISTERED);
        assertThat(p.agent().registration().expiresSeconds()).isPositive();
        assertThat(p.events().registrations).extracting(Registration::state)
                .containsExactly(RegistrationState.REGISTERING, RegistrationState.REGISTERED);
        assertThat(p.events().threads).allMatch(t -> t.startsWith("callibry-softphone-"));
        assertThat(server.online(p.account().id())).as("the server sees the contact").isTrue();

        p.agent().unregister().get(5, TimeUnit.SECONDS);
        assertThat(p.agent().registration().state()).isEqualTo(RegistrationState.UNREGISTERED);
        await("server forgot the contact", () -> !server.online(p.account().id()));
    }

    @Test
    void tooShortAnExpiryIsRaisedToTheMinimumAndRenewedBeforeItRunsOut() throws Exception {
        String number = Integer.toString(NUMBERS.incrementAndGet());
        Accounts.Account a = server.account(number, "Short");
        Phone p = phone(a, server.settings(number, Transport.UDP).withRegisterExpiry(Duration.ofSeconds(1)));
        p.agent().register();

        await("registered", () -> p.agent().registration().state() == RegistrationState.REGISTERED);
        assertThat(p.agent().registration().expiresSeconds()).as("423 Interval Too Brief, then the server's minimum").isEqualTo(2);
        java.time.Instant first = server.registeredUntil(a.id());
        await("re-registered", Duration.ofSeconds(6), () -> {
            java.time.Instant now = server.registeredUntil(a.id());
            return now != null && now.isAfter(first.plusMillis(900));
        });
        Thread.sleep(3000);
        assertThat(server.online(a.id())).as("still registered after more than one lifetime").isTrue();
        assertThat(p.agent().registration().state()).isEqualTo(RegistrationState.REGISTERED);
    }

    @Test
    void wrongPasswordFailsWithAClearReason() throws Exception {
        String number = Integer.toString(NUMBERS.incrementAndGet());
        Accounts.Account a = server.account(number, "Wrong");
        Phone p = phone(a, server.settings(number, Transport.UDP).withPassword("not-the-password"));
        p.agent().register();

        await("failed", () -> p.agent().registration().state() == RegistrationState.FAILED);
        assertThat(p.agent().registration().reason()).isEqualTo(Registration.WRONG_PASSWORD);
        assertThat(p.agent().registration().status()).isIn(401, 403);
    }

    @Test
    void unreachableServerFailsWithinSeconds() throws Exception {
        int closed = SipTestServer.freePort();
        Phone p = phone(null, SoftphoneAccount.of("127.0.0.1", closed, Transport.UDP, "1999", "x", SipTestServer.DOMAIN));
        long start = System.nanoTime();
        p.agent().register();

        await("failed", Duration.ofSeconds(8), () -> p.agent().registration().state() == RegistrationState.FAILED);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(7));
        assertThat(p.agent().registration().reason()).isEqualTo(Registration.SERVER_UNREACHABLE);
    }

    @Test
    void registersOverTcp() throws Exception {
        String number = Integer.toString(NUMBERS.incrementAndGet());
        Accounts.Account a = server.account(number, "TCP");
        Phone p = phone(a, server.settings(number, Transport.TCP));
        p.agent().register();

        await("registered over TCP", () -> p.agent().registration().state() == RegistrationState.REGISTERED);
        assertThat(server.online(a.id())).isTrue();
    }

    @Test
    void tlsRegistersOnlyWithATrustedCertificate() throws Exception {
        String number = Integer.toString(NUMBERS.incrementAndGet());
        Accounts.Account a = server.account(number, "TLS");
        SoftphoneAccount tls = server.settings(number, Transport.TLS);

        Phone untrusting = phone(a, tls);
        untrusting.agent().register();
        await("refused", Duration.ofSeconds(8), () -> untrusting.agent().registration().state() == RegistrationState.FAILED);
        assertThat(untrusting.agent().registration().reason()).isEqualTo(Registration.CERTIFICATE_NOT_TRUSTED);
        String fingerprint = untrusting.agent().refusedCertificate().orElseThrow();
        assertThat(fingerprint).hasSize(64);

        Phone wrongFingerprint = phone(a, tls.withTlsTrust(TlsTrust.fingerprint("00".repeat(32))));
        wrongFingerprint.agent().register();
        await("refused", Duration.ofSeconds(8), () -> wrongFingerprint.agent().registration().state() == RegistrationState.FAILED);
        assertThat(wrongFingerprint.agent().registration().reason()).isEqualTo(Registration.CERTIFICATE_NOT_TRUSTED);

        // the user accepts the certificate once: its fingerprint is trusted from then on
        Phone accepted = phone(a, tls.withTlsTrust(TlsTrust.fingerprint(fingerprint)));
        accepted.agent().register();
        await("registered over TLS", () -> accepted.agent().registration().state() == RegistrationState.REGISTERED);

        Phone withStore = phone(a, tls.withTlsTrust(TlsTrust.trustStore(server.tlsKeystore, "changeit")));
        withStore.agent().register();
        await("registered over TLS with a trust store", () -> withStore.agent().registration().state() == RegistrationState.REGISTERED);
    }

    @Test
    void tlsRefusesATrustedCertificateThatNamesAnotherHost() throws Exception {
        // the machine's own name, when it resolves to loopback, reaches the server but is not in its certificate
        String name = java.net.InetAddress.getLocalHost().getHostName();
        org.junit.jupiter.api.Assumptions.assumeTrue(!name.equalsIgnoreCase("localhost")
                && java.net.InetAddress.getByName(name).getHostAddress().equals("127.0.0.1"), "no other name for 127.0.0.1 here");
        String number = Integer.toString(NUMBERS.incrementAndGet());
        Accounts.Account a = server.account(number, "TLS host");
        Phone p = phone(a, SoftphoneAccount.of(name, server.tlsPort, Transport.TLS, number, SipTestServer.PASSWORD,
                SipTestServer.DOMAIN).withTlsTrust(TlsTrust.trustStore(server.tlsKeystore, "changeit")));
        p.agent().register();

        await("refused", Duration.ofSeconds(8), () -> p.agent().registration().state() == RegistrationState.FAILED);
        assertThat(p.agent().registration().reason()).isEqualTo(Registration.CERTIFICATE_NOT_TRUSTED);
    }

    @Test
    void twoAgentsCallHoldSendDtmfAndMessagesAndHangUp() throws Exception {
        Phone a = registered();
        Phone b = registered();

        Call out = a.agent().call(b.number());
        await("b rings", () -> !b.events().incoming.isEmpty());
        Call in = b.lastIncoming();
        assertThat(in.state()).isEqualTo(CallState.RINGING);
        assertThat(in.remoteUser()).isEqualTo(a.number());
        assertThat(in.waiting()).isFalse();
        await("a hears ringback", () -> out.state() == CallState.EARLY);

        in.answer();
        await("both active", () -> out.state() == CallState.ACTIVE && in.state() == CallState.ACTIVE);
        for (Call c : List.of(out, in)) {
            CallMedia m = c.media();
            assertThat(m.remote().getAddress().getHostAddress()).as("media through the relay").isEqualTo("127.0.0.1");
            assertThat(m.remote().getPort()).isBetween(20000, 29999);
            assertThat(m.payloadType()).isZero();
            assertThat(m.encoding()).isEqualTo("PCMU");
            assertThat(m.telephoneEventPayloadType()).isEqualTo(101);
            assertThat(m.direction()).isEqualTo(MediaDirection.SENDRECV);
            assertThat(m.localRtpPort()).isEqualTo(c.rtpPorts().rtpPort()).isEven();
        }

        out.hold();
        await("held", () -> out.state() == CallState.HELD);
        await("b sees it is held", () -> in.media().direction() == MediaDirection.RECVONLY);
        assertThat(out.media().direction()).isEqualTo(MediaDirection.SENDONLY);
        assertThat(in.state()).isEqualTo(CallState.ACTIVE);
        out.resume();
        await("resumed", () -> out.state() == CallState.ACTIVE && in.media().direction() == MediaDirection.SENDRECV);

        out.sendDtmf('5');
        out.sendDtmf('#');
        await("dtmf at b", () -> b.events().dtmf.size() == 2);
        assertThat(b.events().dtmf).containsExactly(a.number() + ":5", a.number() + ":#");

        a.agent().sendMessage(b.number(), "Hello Bob, привет").get(10, TimeUnit.SECONDS);
        b.agent().sendMessage(a.number(), "Hi Alice").get(10, TimeUnit.SECONDS);
        await("messages", () -> !a.events().messages.isEmpty() && !b.events().messages.isEmpty());
        assertThat(b.events().messages.getFirst().text()).isEqualTo("Hello Bob, привет");
        assertThat(b.events().messages.getFirst().peer()).isEqualTo(a.number());
        assertThat(a.events().messages.getFirst().text()).isEqualTo("Hi Alice");

        in.hangUp();
        await("both ended", () -> out.state() == CallState.ENDED && in.state() == CallState.ENDED);
        assertThat(out.end().orElseThrow().reason()).isEqualTo(CallEnd.Reason.REMOTE_HANGUP);
        assertThat(in.end().orElseThrow().reason()).isEqualTo(CallEnd.Reason.LOCAL_HANGUP);
        assertThat(a.agent().calls()).isEmpty();
    }

    @Test
    void withStunTheServerTellsTheRtpAddressAndCallsStillConnect() throws Exception {
        try (java.net.DatagramSocket socket = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            assertThat(new org.callibry.softphone.stun.StunClient(new java.net.InetSocketAddress("127.0.0.1", server.stunPort))
                    .discover(socket)).as("the server's STUN answers").isEqualTo(socket.getLocalSocketAddress());
        }
        String number = Integer.toString(NUMBERS.incrementAndGet());
        Accounts.Account account = server.account(number, "Stun");
        SoftphoneAccount s = server.settings(number, Transport.UDP);
        Phone a = phone(account, new SoftphoneAccount(s.serverHost(), s.serverPort(), s.transport(), s.user(), s.password(),
                s.domain(), "", null, "127.0.0.1:" + server.stunPort, null));
        a.agent().register();
        await("registered", () -> a.agent().registration().state() == RegistrationState.REGISTERED);
        Phone b = registered();

        Call[] ab = connect(a, b);

        assertThat(ab[0].media().remote().getPort()).isBetween(20000, 29999);
        ab[0].hangUp();
        await("ended", () -> ab[1].state() == CallState.ENDED);
    }

    @Test
    void holdFromBothSidesIsInactiveAndEachResumeRestoresItsDirection() throws Exception {
        Phone a = registered();
        Phone b = registered();
        Call[] ab = connect(a, b);

        ab[0].hold();
        await("a holds", () -> ab[0].state() == CallState.HELD && ab[1].media().direction() == MediaDirection.RECVONLY);
        ab[1].hold();
        await("b holds too", () -> ab[1].state() == CallState.HELD);
        await("a answered inactive", () -> ab[0].media().direction() == MediaDirection.INACTIVE);
        assertThat(ab[1].media().direction()).isEqualTo(MediaDirection.INACTIVE);

        ab[0].resume();
        await("a resumed", () -> ab[0].state() == CallState.ACTIVE);
        assertThat(ab[0].media().direction()).as("b still holds: a only receives").isEqualTo(MediaDirection.RECVONLY);
        await("b may send again", () -> ab[1].media().direction() == MediaDirection.SENDONLY);
        ab[1].resume();
        await("both sendrecv", () -> ab[1].state() == CallState.ACTIVE
                && ab[0].media().direction() == MediaDirection.SENDRECV && ab[1].media().direction() == MediaDirection.SENDRECV);
    }

    @Test
    void callsTheServersEchoTestAndHoldsIt() throws Exception {
        Phone a = registered();
        Call echo = a.agent().call("600");

        await("echo answers", () -> echo.state() == CallState.ACTIVE);
        assertThat(echo.media().remote()).isNotNull();
        assertThat(echo.media().payloadType()).isIn(0, 8);
        echo.hold();
        await("held", () -> echo.state() == CallState.HELD);
        echo.resume();
        await("resumed", () -> echo.state() == CallState.ACTIVE);
        echo.hangUp();
        await("ended", () -> echo.state() == CallState.ENDED);
        assertThat(echo.end().orElseThrow().reason()).isEqualTo(CallEnd.Reason.LOCAL_HANGUP);
    }

    @Test
    void aMessageToANumberNobodyIsRegisteredOnFailsWithTheServersReason() throws Exception {
        Phone a = registered();
        Phone offline = phone(); // an account that never registered
        assertThatThrownBy(() -> a.agent().sendMessage(offline.number(), "are you there?").get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(javax.sip.SipException.class)
                .hasMessageContaining("message not delivered: 4");
    }

    @Test
    void busyCalleeGivesTheCallerAClearReason() throws Exception {
        Phone a = registered();
        Phone b = registered();
        Call out = a.agent().call(b.number());
        await("b rings", () -> !b.events().incoming.isEmpty());

        b.lastIncoming().reject();

        await("ended", () -> out.state() == CallState.ENDED);
        assertThat(out.end().orElseThrow().reason()).isEqualTo(CallEnd.Reason.BUSY);
        assertThat(out.end().orElseThrow().status()).isEqualTo(486);
        assertThat(out.end().orElseThrow().text()).contains("busy");
        assertThat(b.lastIncoming().end().orElseThrow().reason()).isEqualTo(CallEnd.Reason.REJECTED);
    }

    @Test
    void unknownNumberAndRefusedCredentialsEndTheCallWithAReason() throws Exception {
        Phone a = registered();
        Call nobody = a.agent().call("1999");
        await("ended", () -> nobody.state() == CallState.ENDED);
        assertThat(nobody.end().orElseThrow().reason()).as(nobody.end().toString())
                .isIn(CallEnd.Reason.NOT_FOUND, CallEnd.Reason.UNAVAILABLE);

        String number = Integer.toString(NUMBERS.incrementAndGet());
        Accounts.Account account = server.account(number, "Bad");
        Phone wrong = phone(account, server.settings(number, Transport.UDP).withPassword("not-the-password"));
        Call refused = wrong.agent().call(a.number());
        await("ended", () -> refused.state() == CallState.ENDED);
        assertThat(refused.end().orElseThrow().reason()).isEqualTo(CallEnd.Reason.AUTHENTICATION_FAILED);
        assertThat(a.events().incoming).isEmpty();
    }

    @Test
    void blindTransferToABusyTargetFailsAndTheCallGoesOn() throws Exception {
        Phone a = registered();
        Phone b = registered();
        Phone c = registered();
        Call[] ab = connect(a, b);

        ab[1].transfer(c.number());
        await("c rings", () -> !c.events().incoming.isEmpty());
        c.lastIncoming().reject();

        await("b learns it failed", () -> b.events().transfers.stream().anyMatch(p -> p.done() && !p.succeeded()));
        assertThat(b.events().transfers.getLast().status()).isEqualTo(486);
        assertThat(ab[0].state()).isEqualTo(CallState.ACTIVE);
        assertThat(ab[1].state()).isEqualTo(CallState.ACTIVE);
    }

    @Test
    void callerCancelsWhileItRings() throws Exception {
        Phone a = registered();
        Phone b = registered();
        Call out = a.agent().call(b.number());
        await("b rings", () -> !b.events().incoming.isEmpty());
        await("a hears ringback", () -> out.state() == CallState.EARLY);

        out.hangUp();

        Call in = b.lastIncoming();
        await("b stops ringing", () -> in.state() == CallState.ENDED);
        assertThat(in.end().orElseThrow().reason()).isEqualTo(CallEnd.Reason.MISSED);
        assertThat(out.end().orElseThrow().reason()).isEqualTo(CallEnd.Reason.CANCELLED);
    }

    @Test
    void callWaitingSecondCallIsReportedAndAnsweredAfterHoldingTheFirst() throws Exception {
        Phone a = registered();
        Phone b = registered();
        Phone c = registered();
        Call[] ab = connect(a, b);

        Call fromC = c.agent().call(b.number());
        await("b gets a second call", () -> b.events().incoming.size() == 2);
        Call waiting = b.lastIncoming();
        assertThat(waiting.waiting()).isTrue();
        assertThat(waiting.remoteUser()).isEqualTo(c.number());

        ab[1].hold();
        await("first held", () -> ab[1].state() == CallState.HELD);
        waiting.answer();
        await("second active", () -> fromC.state() == CallState.ACTIVE && waiting.state() == CallState.ACTIVE);
        assertThat(ab[0].state()).isEqualTo(CallState.ACTIVE);
        assertThat(ab[0].media().direction()).isEqualTo(MediaDirection.RECVONLY);
    }

    @Test
    void blindTransferPutsTheCallerThroughToTheTarget() throws Exception {
        Phone a = registered();
        Phone b = registered();
        Phone c = registered();
        Call[] ab = connect(a, b);

        ab[1].transfer(c.number());

        await("c rings", () -> !c.events().incoming.isEmpty());
        Call atC = c.lastIncoming();
        assertThat(atC.remoteUser()).as("the transferee calls the target").isEqualTo(a.number());
        atC.answer();
        await("a talks to c", () -> a.agent().calls().stream().anyMatch(x -> x.remoteUser().equals(c.number())
                && x.state() == CallState.ACTIVE));
        await("b left", () -> ab[1].state() == CallState.ENDED && ab[0].state() == CallState.ENDED);
        assertThat(ab[1].end().orElseThrow().reason()).isEqualTo(CallEnd.Reason.TRANSFERRED);
        assertThat(ab[0].end().orElseThrow().reason()).isEqualTo(CallEnd.Reason.TRANSFERRED);
        assertThat(b.events().transfers).anyMatch(TransferProgress::succeeded);
        assertThat(a.events().transfers).anyMatch(p -> p.succeeded() && p.role() == TransferProgress.Role.TRANSFEREE);
        assertThat(atC.state()).isEqualTo(CallState.ACTIVE);
    }

    @Test
    void attendedTransferReplacesTheConsultationCall() throws Exception {
        Phone a = registered();
        Phone b = registered();
        Phone c = registered();
        Call[] ab = connect(a, b);
        ab[1].hold();
        await("held", () -> ab[1].state() == CallState.HELD);
        Call[] bc = connect(b, c);

        ab[1].transfer(bc[0]);

        await("a talks to c", () -> a.agent().calls().stream().anyMatch(x -> x.remoteUser().equals(c.number())
                && x.state() == CallState.ACTIVE));
        await("c's new call is active", () -> c.agent().calls().stream().anyMatch(x -> x.remoteUser().equals(a.number())
                && x.state() == CallState.ACTIVE));
        await("b left both calls", () -> ab[1].state() == CallState.ENDED && bc[0].state() == CallState.ENDED);
        await("the old calls ended", () -> ab[0].state() == CallState.ENDED && bc[1].state() == CallState.ENDED);
        assertThat(bc[1].end().orElseThrow().reason()).isEqualTo(CallEnd.Reason.REPLACED);
        Call replacing = c.agent().calls().stream().filter(x -> x.state() == CallState.ACTIVE).findFirst().orElseThrow();
        assertThat(replacing.replaced()).contains(bc[1]);
    }
}

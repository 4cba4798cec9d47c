package org.callibry.server.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.callibry.server.api.ApiTestSupport;
import org.callibry.shared.testing.FreePorts;
import org.callibry.server.testing.Sipp;
import org.callibry.shared.api.client.CallibryClient;
import org.callibry.shared.api.dto.Accounts;
import org.callibry.shared.api.dto.Domains;
import org.callibry.shared.api.dto.Notification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registrar with SIPp as the phone, over UDP and TCP: digest registration (401 then 200), a wrong
 * password (403), unregistration (Expires: 0), the account's online state in the API and the
 * {@code account.registration} push.
 */
class RegistrarIT extends ApiTestSupport {
    @TempDir
    Path tmp;

    private CallibryClient admin;
    private Accounts.Account account;

    @BeforeEach
    void account() {
        admin = admin();
        account = null;
        Domains.Domain demo = admin.domains().list(new Domains.ListParams(null, "demo.callibry.test", null, null)).items().getFirst();
        for (int attempt = 0; account == null; attempt++) { // a random number may be taken by an earlier test
            String number = "19" + (int) (Math.random() * 100_000);
            try {
                account = admin.accounts().create(new Accounts.Create(demo.id(), number, "Registrar test", PASSWORD, null));
            } catch (org.callibry.shared.api.client.RpcErrorException e) {
                if (attempt >= 5) {
                    throw e;
                }
            }
        }
    }

    private String server() {
        return "127.0.0.1:" + SIP_PORT;
    }

    @Test
    void registersWithDigestOverUdpAndShowsOnline() throws Exception {
        BlockingQueue<Notification> pushed = new LinkedBlockingQueue<>();
        try (var sub = admin.subscribe(pushed::add)) {
            Path users = Sipp.injection(tmp, "users.csv", List.of(List.of(account.number(), PASSWORD, "120")));
            Sipp.Result r = Sipp.run(tmp, server(), "register.xml", FreePorts.udpAndTcp(), "-inf", users.toString(), "-m", "1");
            assertThat(r.passed()).as(r.output()).isTrue();
            Accounts.Account now = admin.accounts().get(account.id());
            assertThat(now.online()).isTrue();
            assertThat(now.registeredContacts()).isEqualTo(1);
            assertThat(now.registeredUntil()).isAfter(java.time.Instant.now().plusSeconds(100));
            Notification n = pushed.poll(10, TimeUnit.SECONDS);
            while (n != null && !n.method().equals("account.registration")) {
                n = pushed.poll(10, TimeUnit.SECONDS);
            }
            assertThat(n).isNotNull();
            assertThat(n.params().get("accountId").asLong()).isEqualTo(account.id());
            assertThat(n.params().get("online").asBoolean()).isTrue();
        }
    }

    @Test
    void registersOverTcp() throws Exception {
        Path users = Sipp.injection(tmp, "users.csv", List.of(List.of(account.number(), PASSWORD, "120")));
        Sipp.Result r = Sipp.run(tmp, server(), "register.xml", FreePorts.udpAndTcp(), "-t", "t1", "-inf", users.toString(), "-m", "1");
        assertThat(r.passed()).as(r.output()).isTrue();
        assertThat(admin.accounts().get(account.id()).online()).isTrue();
    }

    @Test
    void registersOverTlsWithDigest() throws Exception {
        javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
        // the demo's self-signed certificate: this test checks the transport, not the PKI
        tls.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
            public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) {
            }

            public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) {
            }

            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
            }
        }}, null);
        try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", SIP_TLS_PORT)) {
            socket.setSoTimeout(5000);
            int local = socket.getLocalPort();
            String uri = "sip:127.0.0.1:" + SIP_TLS_PORT;
            String challenge = exchange(socket, register(uri, local, 1, null));
            assertThat(challenge).startsWith("SIP/2.0 401 ");
            java.util.regex.Matcher nonce = java.util.regex.Pattern.compile("nonce=\"([^\"]+)\"").matcher(challenge);
            assertThat(nonce.find()).isTrue();
            java.util.regex.Matcher realm = java.util.regex.Pattern.compile("realm=\"([^\"]+)\"").matcher(challenge);
            assertThat(realm.find()).isTrue();
            String ha1 = org.callibry.shared.sip.DigestHashes.ha1Md5(account.number(), realm.group(1), PASSWORD);
            String ha2 = org.callibry.shared.sip.DigestHashes.hex("MD5", "REGISTER:" + uri);
            String response = org.callibry.shared.sip.DigestHashes.hex("MD5", ha1 + ":" + nonce.group(1) + ":00000001:abc123:auth:" + ha2);
            String auth = "Authorization: Digest username=\"" + account.number() + "\", realm=\"" + realm.group(1) + "\", nonce=\""
                    + nonce.group(1) + "\", uri=\"" + uri + "\", response=\"" + response + "\", algorithm=MD5, qop=auth, nc=00000001,"
                    + " cnonce=\"abc123\"\r\n";
            String ok = exchange(socket, register(uri, local, 2, auth));
            assertThat(ok).startsWith("SIP/2.0 200 ");
        }
        assertThat(admin.accounts().get(account.id()).online()).isTrue();
    }

    private String register(String uri, int localPort, int cseq, String auth) {
        return "REGISTER " + uri + " SIP/2.0\r\n"
                + "Via: SIP/2.0/TLS 127.0.0.1:" + localPort + ";branch=z9hG4bK-tls-" + cseq + "-" + System.nanoTime() + "\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:" + account.number() + "@127.0.0.1>;tag=tls1\r\n"
                + "To: <sip:" + account.number() + "@127.0.0.1>\r\nCall-ID: tls-" + account.number() + "@127.0.0.1\r\n"
                + "CSeq: " + cseq + " REGISTER\r\nContact: <sip:" + account.number() + "@127.0.0.1:" + localPort + ";transport=tls>\r\n"
                + "Expires: 120\r\n" + (auth == null ? "" : auth) + "Content-Length: 0\r\n\r\n";
    }

    /** Writes a request on the TLS connection and reads the final response to it. */
    private static String exchange(javax.net.ssl.SSLSocket socket, String request) throws Exception {
        socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        java.io.InputStream in = socket.getInputStream();
        while (true) {
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int c = in.read();
                if (c < 0) {
                    throw new java.io.EOFException("connection closed after: " + head);
                }
                head.append((char) c);
            }
            if (!head.toString().startsWith("SIP/2.0 1")) {
                return head.toString();
            }
        }
    }

    @Test
    void aRetransmittedRegisterGetsTheSameAnswerAgain() throws Exception {
        // REGISTER over UDP has no JAIN-SIP server transaction; the answers are kept a few seconds instead, so
        // the same bytes again (a phone whose answer was lost) get the same answer, not a new challenge
        try (java.net.DatagramSocket phone = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            phone.setSoTimeout(5000);
            String callId = "retransmit-" + System.nanoTime() + "@127.0.0.1";
            String first = register(phone, callId, 1, "z9hG4bK-r1", null);
            String challenge = exchange(phone, first);
            assertThat(challenge).startsWith("SIP/2.0 401");
            assertThat(exchange(phone, first)).as("the unauthenticated REGISTER again: the same challenge").isEqualTo(challenge);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("realm=\"([^\"]+)\".*?nonce=\"([^\"]+)\"",
                    java.util.regex.Pattern.CASE_INSENSITIVE).matcher(challenge);
            assertThat(m.find()).as(challenge).isTrue();
            String realm = m.group(1);
            String nonce = m.group(2);
            String uri = "sip:127.0.0.1:" + SIP_PORT;
            String ha1 = org.callibry.shared.sip.DigestHashes.ha1Md5(account.number(), realm, PASSWORD);
            String ha2 = org.callibry.shared.sip.DigestHashes.hex("MD5", "REGISTER:" + uri);
            String response = org.callibry.shared.sip.DigestHashes.hex("MD5", ha1 + ":" + nonce + ":00000001:c0ffee:auth:" + ha2);
            String authorization = "Authorization: Digest username=\"" + account.number() + "\", realm=\"" + realm + "\", nonce=\""
                    + nonce + "\", uri=\"" + uri + "\", response=\"" + response + "\", algorithm=MD5, qop=auth, nc=00000001, cnonce=\"c0ffee\"";
            String authenticated = register(phone, callId, 2, "z9hG4bK-r2", authorization);
            String ok = exchange(phone, authenticated);
            assertThat(ok).startsWith("SIP/2.0 200");
            assertThat(exchange(phone, authenticated)).as("the same REGISTER again: its nonce count is not a replay here")
                    .isEqualTo(ok);
            assertThat(exchange(phone, register(phone, callId, 2, "z9hG4bK-r3", authorization)))
                    .as("the same credentials in a new transaction: a replayed nonce count, challenged again")
                    .startsWith("SIP/2.0 401");
        }
        Accounts.Account now = admin.accounts().get(account.id());
        assertThat(now.online()).isTrue();
        assertThat(now.registeredContacts()).isEqualTo(1);
    }

    private String register(java.net.DatagramSocket phone, String callId, int cseq, String branch, String authorization) {
        String me = "127.0.0.1:" + phone.getLocalPort();
        return "REGISTER sip:127.0.0.1:" + SIP_PORT + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + me + ";branch=" + branch + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:" + account.number() + "@127.0.0.1>;tag=retransmit\r\n"
                + "To: <sip:" + account.number() + "@127.0.0.1>\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: " + cseq + " REGISTER\r\n"
                + "Contact: <sip:" + account.number() + "@" + me + ">\r\n"
                + (authorization == null ? "" : authorization + "\r\n")
                + "Expires: 120\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    /** Sends {@code message} and returns the final response to it (provisional ones skipped). */
    private static String exchange(java.net.DatagramSocket phone, String message) throws java.io.IOException {
        byte[] out = message.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        phone.send(new java.net.DatagramPacket(out, out.length, java.net.InetAddress.getLoopbackAddress(), SIP_PORT));
        byte[] in = new byte[8192];
        while (true) {
            java.net.DatagramPacket p = new java.net.DatagramPacket(in, in.length);
            phone.receive(p);
            String r = new String(in, 0, p.getLength(), java.nio.charset.StandardCharsets.UTF_8);
            if (!r.startsWith("SIP/2.0 1")) {
                return r;
            }
        }
    }

    @Test
    void aWrongPasswordIsRefusedWith403() throws Exception {
        Path users = Sipp.injection(tmp, "users.csv", List.of(List.of(account.number(), "not-the-password")));
        Sipp.Result r = Sipp.run(tmp, server(), "register-wrong.xml", FreePorts.udpAndTcp(), "-inf", users.toString(), "-m", "1");
        assertThat(r.passed()).as(r.output()).isTrue();
        assertThat(admin.accounts().get(account.id()).online()).isFalse();
    }

    @Test
    void anUnknownUserGetsTheSameChallengeAnd403() throws Exception {
        Path users = Sipp.injection(tmp, "users.csv", List.of(List.of("no-such-user", PASSWORD)));
        Sipp.Result r = Sipp.run(tmp, server(), "register-wrong.xml", FreePorts.udpAndTcp(), "-inf", users.toString(), "-m", "1");
        assertThat(r.passed()).as(r.output()).isTrue();
    }

    @Test
    void expiresZeroUnregisters() throws Exception {
        int port = FreePorts.udpAndTcp();
        Path on = Sipp.injection(tmp, "on.csv", List.of(List.of(account.number(), PASSWORD, "120")));
        assertThat(Sipp.run(tmp, server(), "register.xml", port, "-inf", on.toString(), "-m", "1").passed()).isTrue();
        assertThat(admin.accounts().get(account.id()).online()).isTrue();
        Path off = Sipp.injection(tmp, "off.csv", List.of(List.of(account.number(), PASSWORD, "0")));
        Sipp.Result r = Sipp.run(tmp, server(), "register.xml", port, "-inf", off.toString(), "-m", "1");
        assertThat(r.passed()).as(r.output()).isTrue();
        assertThat(admin.accounts().get(account.id()).online()).isFalse();
    }

    @Test
    void contactStarRemovesEveryContact() throws Exception {
        Path users = Sipp.injection(tmp, "users.csv", List.of(List.of(account.number(), PASSWORD, "120")));
        assertThat(Sipp.run(tmp, server(), "register.xml", FreePorts.udpAndTcp(), "-inf", users.toString(), "-m", "1").passed()).isTrue();
        assertThat(Sipp.run(tmp, server(), "register.xml", FreePorts.udpAndTcp(), "-inf", users.toString(), "-m", "1").passed()).isTrue();
        assertThat(admin.accounts().get(account.id()).registeredContacts()).isEqualTo(2);
        Sipp.Result r = Sipp.run(tmp, server(), "unregister-all.xml", FreePorts.udpAndTcp(), "-inf", users.toString(), "-m", "1");
        assertThat(r.passed()).as(r.output()).isTrue();
        assertThat(admin.accounts().get(account.id()).online()).isFalse();
    }

    @Test
    void aDisabledAccountIsRefusedEvenWithTheRightPassword() throws Exception {
        admin.accounts().update(new Accounts.Update(account.id(), null, null, false));
        Path users = Sipp.injection(tmp, "users.csv", List.of(List.of(account.number(), PASSWORD)));
        Sipp.Result r = Sipp.run(tmp, server(), "register-wrong.xml", FreePorts.udpAndTcp(), "-inf", users.toString(), "-m", "1");
        assertThat(r.passed()).as(r.output()).isTrue();
        assertThat(admin.accounts().get(account.id()).online()).isFalse();
    }
}

package org.callibry.server.sip.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import javax.sip.SipFactory;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.WWWAuthenticateHeader;
import org.callibry.server.directory.SipDirectory;
import org.callibry.shared.sip.DigestHashes;
import org.callibry.server.testing.MutableClock;
import org.junit.jupiter.api.Test;

/** Digest answers per RFC 7616 with qop=auth: both algorithms, wrong passwords, replays, stale and foreign nonces. */
class DigestAuthTest {
    private static final String REALM = "example.test";
    private final HeaderFactory headers;
    private final MutableClock clock = new MutableClock();
    private final DigestAuth digest;
    private final SipDirectory.Credentials alice = new SipDirectory.Credentials(1, 1, 1, REALM, "alice", "Alice",
            DigestHashes.ha1Md5("alice", REALM, "secret-pw"), DigestHashes.ha1Sha256("alice", REALM, "secret-pw"), true);

    DigestAuthTest() throws Exception {
        headers = SipFactory.getInstance().createHeaderFactory();
        digest = new DigestAuth(headers, List.of("SHA-256", "MD5"), Duration.ofSeconds(300), clock);
    }

    private AuthorizationHeader answer(WWWAuthenticateHeader challenge, String password, String nc) throws Exception {
        String algorithm = challenge.getAlgorithm();
        String hash = algorithm.equals("SHA-256") ? "SHA-256" : "MD5";
        String ha1 = DigestHashes.hex(hash, "alice:" + REALM + ":" + password);
        String uri = "sip:" + REALM;
        String ha2 = DigestHashes.hex(hash, "REGISTER:" + uri);
        String response = DigestHashes.hex(hash, ha1 + ":" + challenge.getNonce() + ":" + nc + ":c0ffee:auth:" + ha2);
        AuthorizationHeader h = headers.createAuthorizationHeader("Digest");
        h.setUsername("alice");
        h.setRealm(REALM);
        h.setNonce(challenge.getNonce());
        h.setURI(DigestAuthTest.uri(uri));
        h.setAlgorithm(algorithm);
        h.setQop("auth");
        h.setCNonce("c0ffee");
        h.setParameter("nc", nc);
        h.setResponse(response);
        return h;
    }

    static javax.sip.address.URI uri(String s) throws Exception {
        return SipFactory.getInstance().createAddressFactory().createURI(s);
    }

    @Test
    void offersOneChallengePerAlgorithmWithTheSameNonce() {
        List<WWWAuthenticateHeader> c = digest.challenge(REALM, false, false);
        assertThat(c).extracting(WWWAuthenticateHeader::getAlgorithm).containsExactly("SHA-256", "MD5");
        assertThat(c.get(0).getNonce()).isEqualTo(c.get(1).getNonce());
        assertThat(c.get(0).getQop()).isEqualTo("auth");
    }

    @Test
    void acceptsSha256AndMd5Answers() throws Exception {
        List<WWWAuthenticateHeader> c = digest.challenge(REALM, false, false);
        assertThat(digest.verify(answer(c.get(0), "secret-pw", "00000001"), "REGISTER", alice)).isEqualTo(DigestAuth.Outcome.OK);
        List<WWWAuthenticateHeader> c2 = digest.challenge(REALM, false, false);
        assertThat(digest.verify(answer(c2.get(1), "secret-pw", "00000001"), "REGISTER", alice)).isEqualTo(DigestAuth.Outcome.OK);
    }

    @Test
    void refusesAWrongPassword() throws Exception {
        WWWAuthenticateHeader c = digest.challenge(REALM, false, false).getFirst();
        assertThat(digest.verify(answer(c, "guess", "00000001"), "REGISTER", alice)).isEqualTo(DigestAuth.Outcome.WRONG);
    }

    @Test
    void aReplayedNonceCountIsRefusedAndAGrowingOneAccepted() throws Exception {
        WWWAuthenticateHeader c = digest.challenge(REALM, false, false).getFirst();
        assertThat(digest.verify(answer(c, "secret-pw", "00000001"), "REGISTER", alice)).isEqualTo(DigestAuth.Outcome.OK);
        assertThat(digest.verify(answer(c, "secret-pw", "00000001"), "REGISTER", alice)).isEqualTo(DigestAuth.Outcome.REPLAY);
        assertThat(digest.verify(answer(c, "secret-pw", "00000002"), "REGISTER", alice)).isEqualTo(DigestAuth.Outcome.OK);
    }

    @Test
    void anExpiredNonceIsStale() throws Exception {
        WWWAuthenticateHeader c = digest.challenge(REALM, false, false).getFirst();
        clock.advance(Duration.ofSeconds(301));
        assertThat(digest.verify(answer(c, "secret-pw", "00000001"), "REGISTER", alice)).isEqualTo(DigestAuth.Outcome.STALE);
    }

    @Test
    void aNonceThisServerDidNotIssueIsRefused() throws Exception {
        WWWAuthenticateHeader c = digest.challenge(REALM, false, false).getFirst();
        c.setNonce("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        assertThat(digest.verify(answer(c, "secret-pw", "00000001"), "REGISTER", alice)).isEqualTo(DigestAuth.Outcome.BAD_NONCE);
    }

    @Test
    void replayTrackingKeepsToAFixedArrayAndAnOutrunNonceIsStaleNotAccepted() throws Exception {
        DigestAuth small = new DigestAuth(headers, List.of("MD5"), Duration.ofSeconds(300), clock, 4); // 16 slots
        WWWAuthenticateHeader first = small.challenge(REALM, false, false).getFirst();
        assertThat(small.verify(answer(first, "secret-pw", "00000001"), "REGISTER", alice)).isEqualTo(DigestAuth.Outcome.OK);
        // many nonces later, all used: one of them took the first nonce's slot
        for (int i = 0; i < 40; i++) {
            WWWAuthenticateHeader c = small.challenge(REALM, false, false).getFirst();
            assertThat(small.verify(answer(c, "secret-pw", "00000001"), "REGISTER", alice)).isEqualTo(DigestAuth.Outcome.OK);
            assertThat(small.verify(answer(c, "secret-pw", "00000001"), "REGISTER", alice)).isEqualTo(DigestAuth.Outcome.REPLAY);
        }
        assertThat(small.verify(answer(first, "secret-pw", "00000001"), "REGISTER", alice))
                .as("a replay of a nonce whose slot was taken").isEqualTo(DigestAuth.Outcome.STALE);
        assertThat(small.verify(answer(first, "secret-pw", "00000002"), "REGISTER", alice))
                .as("its next count too: the phone gets a fresh nonce").isEqualTo(DigestAuth.Outcome.STALE);
    }

    @Test
    void aNonceNeverUsedIsAcceptedOnceEvenAfterNewerNoncesWereIssued() throws Exception {
        DigestAuth small = new DigestAuth(headers, List.of("MD5"), Duration.ofSeconds(300), clock, 4);
        WWWAuthenticateHeader unused = small.challenge(REALM, false, false).getFirst();
        for (int i = 0; i < 40; i++) {
            small.challenge(REALM, false, false); // issued, never answered
        }
        assertThat(small.verify(answer(unused, "secret-pw", "00000001"), "REGISTER", alice)).isEqualTo(DigestAuth.Outcome.OK);
        assertThat(small.verify(answer(unused, "secret-pw", "00000001"), "REGISTER", alice)).isEqualTo(DigestAuth.Outcome.REPLAY);
    }

    @Test
    void aNonceCountBeyondTheSlotsRangeGetsAFreshNonce() throws Exception {
        WWWAuthenticateHeader c = digest.challenge(REALM, false, false).getFirst();
        assertThat(digest.verify(answer(c, "secret-pw", "01000000"), "REGISTER", alice)).isEqualTo(DigestAuth.Outcome.STALE);
        assertThat(digest.verify(answer(c, "secret-pw", "00000000"), "REGISTER", alice)).isEqualTo(DigestAuth.Outcome.STALE);
        assertThat(digest.verify(answer(c, "secret-pw", "00ffffff"), "REGISTER", alice)).isEqualTo(DigestAuth.Outcome.OK);
    }
}

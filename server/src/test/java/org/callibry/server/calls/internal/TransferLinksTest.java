package org.callibry.server.calls.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Linking a transferee's new call to the transferred call. Scenarios: the INVITE from the transferee to
 * the target continues the call; it is claimed once; another caller or another target is not linked;
 * a link expires; expired links are purged as new ones come.
 */
class TransferLinksTest {
    private static final Instant T0 = Instant.parse("2026-12-06T12:00:00Z");
    private final TransferLinks links = new TransferLinks(Duration.ofSeconds(32));

    @Test
    void theTransfereesCallToTheTargetContinuesTheCall() {
        links.referred("1002", "1003", "call-1", T0);

        assertThat(links.claim("1002", "1003", T0.plusSeconds(1))).contains("call-1");
    }

    @Test
    void aLinkIsClaimedOnce() {
        links.referred("1002", "1003", "call-1", T0);
        links.claim("1002", "1003", T0.plusSeconds(1));

        assertThat(links.claim("1002", "1003", T0.plusSeconds(2))).isEmpty();
    }

    @Test
    void anotherCallerOrAnotherTargetIsNotLinked() {
        links.referred("1002", "1003", "call-1", T0);

        assertThat(links.claim("1004", "1003", T0.plusSeconds(1))).isEmpty();
        assertThat(links.claim("1002", "1005", T0.plusSeconds(1))).isEmpty();
        assertThat(links.claim("1002", "1003", T0.plusSeconds(1))).contains("call-1");
    }

    @Test
    void aLinkExpires() {
        links.referred("1002", "1003", "call-1", T0);

        assertThat(links.claim("1002", "1003", T0.plusSeconds(33))).isEmpty();
    }

    @Test
    void expiredLinksArePurgedAsNewOnesCome() {
        links.referred("1002", "1003", "call-1", T0);
        links.referred("1006", "1007", "call-2", T0.plusSeconds(40));

        assertThat(links.size()).isEqualTo(1);
    }

    @Test
    void nothingIsLinkedWithoutBothParties() {
        links.referred(null, "1003", "call-1", T0);

        assertThat(links.size()).isZero();
        assertThat(links.claim(null, "1003", T0)).isEmpty();
    }
}

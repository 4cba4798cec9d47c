package org.callibry.server.dialer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.callibry.server.calls.CallFailedException;
import org.callibry.shared.api.dto.Campaigns;
import org.junit.jupiter.api.Test;

/**
 * When a number is tried again: each kind of result by its own rule (busy 2 more times 5 minutes apart,
 * no answer once after 30 minutes, failures and interruptions once after 60 minutes), answered and
 * do-not-call numbers never, abandoned ones 72 hours later at most twice; and how a SIP final status
 * classifies a failed call.
 */
class RetriesTest {
    static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    static final Campaigns.Campaign C = new Campaigns.Campaign(1, 1, "c", Campaigns.Status.RUNNING, Campaigns.OnAnswer.PLAY,
            List.of(1L), 1, null, null, "1001", 10, 5, 30, new Campaigns.RetryPolicy(new Campaigns.Retry(2, 5),
            new Campaigns.Retry(1, 30), new Campaigns.Retry(1, 60)), CampaignEndpoint.ALWAYS, false, 3, null, null, null, null,
            null, null);

    static Instant next(Campaigns.Result r, int busy, int noAnswer, int failed, int abandoned) {
        return Retries.next(C, r, new CampaignStore.Counts(busy, noAnswer, failed, abandoned), NOW);
    }

    @Test
    void eachResultFollowsItsOwnRule() {
        assertThat(next(Campaigns.Result.BUSY, 1, 0, 0, 0)).isEqualTo(NOW.plus(Duration.ofMinutes(5)));
        assertThat(next(Campaigns.Result.BUSY, 2, 1, 0, 0)).isEqualTo(NOW.plus(Duration.ofMinutes(5)));
        assertThat(next(Campaigns.Result.BUSY, 3, 0, 0, 0)).isNull();
        assertThat(next(Campaigns.Result.NO_ANSWER, 2, 1, 0, 0)).isEqualTo(NOW.plus(Duration.ofMinutes(30)));
        assertThat(next(Campaigns.Result.NO_ANSWER, 0, 2, 0, 0)).isNull();
        assertThat(next(Campaigns.Result.FAILED, 0, 0, 1, 0)).isEqualTo(NOW.plus(Duration.ofMinutes(60)));
        assertThat(next(Campaigns.Result.INTERRUPTED, 0, 0, 1, 0)).isEqualTo(NOW.plus(Duration.ofMinutes(60)));
        assertThat(next(Campaigns.Result.INTERRUPTED, 0, 0, 2, 0)).isNull();
        assertThat(next(Campaigns.Result.ANSWERED, 0, 0, 0, 0)).isNull();
        assertThat(next(Campaigns.Result.DNC, 0, 0, 0, 0)).isNull();
        assertThat(next(Campaigns.Result.ABANDONED, 0, 0, 0, 1)).isEqualTo(NOW.plus(Duration.ofHours(72)));
        assertThat(next(Campaigns.Result.ABANDONED, 0, 0, 0, 3)).isNull();
    }

    @Test
    void aFinalStatusSaysBusyNoAnswerOrFailed() {
        assertThat(CallFailedException.classify(486)).isEqualTo(CallFailedException.Result.BUSY);
        assertThat(CallFailedException.classify(600)).isEqualTo(CallFailedException.Result.BUSY);
        assertThat(CallFailedException.classify(603)).isEqualTo(CallFailedException.Result.BUSY);
        assertThat(CallFailedException.classify(480)).isEqualTo(CallFailedException.Result.NO_ANSWER);
        assertThat(CallFailedException.classify(487)).isEqualTo(CallFailedException.Result.NO_ANSWER);
        assertThat(CallFailedException.classify(408)).isEqualTo(CallFailedException.Result.NO_ANSWER);
        assertThat(CallFailedException.classify(404)).isEqualTo(CallFailedException.Result.FAILED);
        assertThat(CallFailedException.classify(503)).isEqualTo(CallFailedException.Result.FAILED);
        CallFailedException e = CallFailedException.ofResponse(486, "486 Busy Here");
        assertThat(e).hasMessage("call ended: 486 Busy Here").isInstanceOf(IllegalStateException.class);
        assertThat(e.sipCode()).isEqualTo(486);
    }
}

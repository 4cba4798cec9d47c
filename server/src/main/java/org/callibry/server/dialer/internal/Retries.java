package org.callibry.server.dialer.internal;

import java.time.Duration;
import java.time.Instant;
import org.callibry.shared.api.dto.Campaigns;

/**
 * When a number is tried again after an attempt: by the campaign's rule for the result's kind (up to
 * {@code retries} more attempts after results of that kind, each {@code minutes} later; {@code INTERRUPTED}
 * follows the {@code failed} rule), abandoned numbers 72 hours later at most {@value #ABANDON_RETRIES}
 * times, answered and do-not-call numbers never.
 */
final class Retries {
    /** A number whose call was abandoned is not called again (by any campaign of the tenant) for this long. */
    static final Duration ABANDON_QUIET = Duration.ofHours(72);
    static final int ABANDON_RETRIES = 2;

    private Retries() {
    }

    /** When to try again after {@code result}, given the number's counts of results by kind; null: it is done. */
    static Instant next(Campaigns.Campaign c, Campaigns.Result result, CampaignStore.Counts counts, Instant now) {
        if (c == null) {
            return null;
        }
        Campaigns.RetryPolicy p = c.retry();
        return switch (result) {
            case ANSWERED, DNC -> null;
            case BUSY -> counts.busy() <= p.busy().retries() ? now.plus(Duration.ofMinutes(p.busy().minutes())) : null;
            case NO_ANSWER -> counts.noAnswer() <= p.noAnswer().retries() ? now.plus(Duration.ofMinutes(p.noAnswer().minutes())) : null;
            case FAILED, INTERRUPTED -> counts.failed() <= p.failed().retries()
                    ? now.plus(Duration.ofMinutes(p.failed().minutes())) : null;
            case ABANDONED -> counts.abandoned() <= ABANDON_RETRIES ? now.plus(ABANDON_QUIET) : null;
        };
    }
}

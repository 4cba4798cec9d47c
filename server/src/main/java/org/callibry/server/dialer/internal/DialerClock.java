package org.callibry.server.dialer.internal;

import org.callibry.server.calls.ApplicationClock;
import org.springframework.stereotype.Component;

/**
 * The dialer's time ({@link ApplicationClock}): its timer thread runs the 2-second rule of predictive
 * calls and pacing every 15 s. Retries minutes apart, the schedule window and the 72-hour rule compare
 * stored times with {@link #now()}, so a test that advances the clock sees them come due without waiting.
 */
@Component
class DialerClock extends ApplicationClock {
    DialerClock() {
        super("dialer");
    }
}

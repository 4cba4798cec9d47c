package org.callibry.server.acd.internal;

import org.callibry.server.calls.ApplicationClock;
import org.springframework.stereotype.Component;

/**
 * The ACD's time ({@link ApplicationClock}): its timer thread runs wrap-ups, ring timeouts,
 * announcements, maximum waits and callback retries, and tests move it forward.
 */
@Component
class AcdClock extends ApplicationClock {
    AcdClock() {
        super("acd");
    }
}

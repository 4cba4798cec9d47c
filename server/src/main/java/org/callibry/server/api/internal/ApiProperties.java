package org.callibry.server.api.internal;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code callibry.api.*}: token lifetime, login throttling, batch size.
 *
 * @param tokenTtl how long a bearer token from {@code auth.login} stays valid
 * @param login    failed-login limits
 * @param maxBatch the most calls one batch may hold
 */
@ConfigurationProperties("callibry.api")
record ApiProperties(Duration tokenTtl, Login login, int maxBatch) {

    /**
     * @param maxFailuresPerUser    failed logins for one user name within {@code window} before it is locked for the rest of it
     * @param maxFailuresPerAddress failed logins from one source address within {@code window}
     * @param window                the sliding window
     */
    record Login(int maxFailuresPerUser, int maxFailuresPerAddress, Duration window) {
    }
}

package org.callibry.server.crm.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code callibry.crm.webhook.*}: where webhooks may point, how deliveries are retried and how many run
 * at once.
 *
 * @param allow         URL prefixes allowed although they lead into the server's own network
 * @param maxAttempts   attempts of one delivery before it is marked failed
 * @param firstRetry    the wait after the first failed attempt; doubled after each further one
 * @param maxRetry      the longest wait between two attempts
 * @param timeout       connect and answer timeout of one attempt
 * @param pollInterval  how often the worker looks for due deliveries when nothing wakes it
 * @param concurrency   deliveries in flight at once
 * @param maxPerTenant  subscriptions one tenant may have
 * @param queueCapacity events held in memory before they are written; past it they go to the spool
 * @param spoolDir      where events wait (fsync'd) while the database is unavailable
 * @param logRetention  how long delivered and failed deliveries stay in the log
 */
@ConfigurationProperties("callibry.crm.webhook")
record WebhookProperties(List<String> allow, int maxAttempts, Duration firstRetry, Duration maxRetry, Duration timeout,
                         Duration pollInterval, int concurrency, int maxPerTenant, int queueCapacity, Path spoolDir,
                         Duration logRetention) {

    WebhookProperties {
        allow = allow == null ? List.of() : List.copyOf(allow);
        if (concurrency < 1 || maxPerTenant < 1 || queueCapacity < 1 || logRetention == null || logRetention.isNegative()
                || logRetention.isZero()) {
            throw new IllegalArgumentException("callibry.crm.webhook: concurrency, max-per-tenant, queue-capacity and log-retention"
                    + " must be positive");
        }
    }

    Backoff backoff() {
        return new Backoff(firstRetry, maxRetry, maxAttempts);
    }
}

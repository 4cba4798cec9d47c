package org.callibry.server.cdr.internal;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code callibry.cdr.*}: how call detail records are batched, queued, spooled and searched.
 *
 * @param batchSize       most records one database write holds
 * @param flushInterval   longest a record waits in the queue before its batch is written
 * @param queueCapacity   records the in-memory queue holds; beyond it they go straight to the spool
 * @param spoolDir        where records wait on disk while the database is unavailable
 * @param retryInterval   how often the database is tried again during an outage
 * @param partitionsAhead monthly partitions kept ready after the current month
 * @param countLimit      {@code cdr.search} counts matches up to this many
 * @param searchTimeout   longest one query of {@code cdr.search} may run
 */
@ConfigurationProperties("callibry.cdr")
record CdrProperties(int batchSize, Duration flushInterval, int queueCapacity, Path spoolDir, Duration retryInterval,
                     int partitionsAhead, int countLimit, Duration searchTimeout) {

    CdrProperties {
        if (batchSize < 1 || queueCapacity < 1 || partitionsAhead < 0 || countLimit < 1) {
            throw new IllegalArgumentException("callibry.cdr: batch-size, queue-capacity and count-limit must be positive,"
                    + " partitions-ahead not negative");
        }
    }
}

package org.callibry.server.queuelog.internal;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code callibry.queue-log.*}: how queue log rows are batched, queued and spooled (as the CDR's).
 *
 * @param spoolDir where rows wait on disk while the database is unavailable
 */
@ConfigurationProperties("callibry.queue-log")
record QueueLogProperties(int batchSize, Duration flushInterval, int queueCapacity, Path spoolDir, Duration retryInterval,
                          int partitionsAhead) {
}

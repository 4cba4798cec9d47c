package org.callibry.server.queuelog.internal;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import javax.sql.DataSource;
import org.callibry.server.acd.AgentStatusChanged;
import org.callibry.server.acd.QueueEvent;
import org.callibry.server.storage.MonthlyPartitions;
import org.callibry.server.storage.SpooledWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Every queue event and agent change becomes a {@code queue_log} row, written behind the calls by a
 * {@link SpooledWriter} (batched; spooled to disk while the database is away; nothing dropped).
 */
@Component
class QueueLogWriter implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(QueueLogWriter.class);

    private final SpooledWriter<QueueLogRecord> writer;
    private final Clock clock = Clock.systemUTC();

    QueueLogWriter(DataSource dataSource, QueueLogProperties p, MeterRegistry meters) {
        MonthlyPartitions partitions = new MonthlyPartitions(dataSource, "queue_log", "at", p.partitionsAhead(), clock);
        this.writer = new SpooledWriter<>(new SpooledWriter.Settings("queue log", "callibry.queuelog", "queue-log-writer",
                "queue-log", p.batchSize(), p.flushInterval(), p.queueCapacity(), p.spoolDir(), p.retryInterval()),
                QueueLogRecord.class, new QueueLogStore(dataSource, partitions), r -> r.id() + " (" + r.event() + ")", meters);
    }

    @EventListener
    void on(QueueEvent e) {
        try {
            writer.offer(QueueLogRecord.of(e));
        } catch (RuntimeException ex) {
            log.error("Queue event {} of call {} not logged: {}", e.type(), e.callId(), ex.toString(), ex);
        }
    }

    @EventListener
    void on(AgentStatusChanged e) {
        try {
            writer.offer(QueueLogRecord.of(e, clock.instant()));
        } catch (RuntimeException ex) {
            log.error("Agent change of {} not logged: {}", e.agentId(), ex.toString(), ex);
        }
    }

    @Override
    public void start() {
        writer.start();
    }

    @Override
    public void stop() {
        writer.stop();
    }

    @Override
    public boolean isRunning() {
        return writer.isRunning();
    }

    /** Stops after the ACD (which logs its callers' end at shutdown), before the connection pool closes. */
    @Override
    public int getPhase() {
        return 0;
    }
}

package org.callibry.server.cdr.internal;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import javax.sql.DataSource;
import org.callibry.server.calls.CallEnded;
import org.callibry.server.calls.CallOutcome;
import org.callibry.server.storage.SpooledWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Turns {@link CallEnded} events into {@code cdr} rows without ever holding up the thread that
 * publishes them (the SIP stack's): a {@link SpooledWriter} batches them into the database and spools
 * them to disk while it is away, so nothing is dropped. A media application's {@link CallOutcome}
 * joins the record of the caller's leg to it first ({@link CdrOutcomes}).
 */
@Component
class CdrWriter implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(CdrWriter.class);

    private final CdrPartitions partitions;
    private final SpooledWriter<CdrRecord> writer;
    private final Clock clock = Clock.systemUTC();
    private final CdrOutcomes outcomes;

    CdrWriter(DataSource dataSource, CdrProperties properties, MeterRegistry meters) {
        this.partitions = new CdrPartitions(dataSource, properties.partitionsAhead(), clock);
        CdrStore store = new CdrStore(dataSource, partitions);
        this.writer = new SpooledWriter<>(new SpooledWriter.Settings("CDR", "callibry.cdr", "cdr-writer", "cdr",
                properties.batchSize(), properties.flushInterval(), properties.queueCapacity(), properties.spoolDir(),
                properties.retryInterval()), CdrRecord.class, new SpooledWriter.Sink<>() {
                    @Override
                    public int insert(List<CdrRecord> rows) throws SQLException {
                        return store.insert(rows);
                    }

                    @Override
                    public boolean reachable() {
                        return store.reachable();
                    }

                    @Override
                    public boolean isBadData(Exception e) {
                        return CdrStore.isBadData(e);
                    }

                    @Override
                    public void maintain() throws SQLException {
                        partitions.ensureAhead();
                    }
                }, r -> r.id() + " (Call-ID " + r.callId() + ")", meters);
        this.outcomes = new CdrOutcomes(writer::offer);
    }

    /** Called on the publisher's thread: only queues the record (or, with the queue full, spools it). */
    @EventListener
    void on(CallEnded event) {
        try {
            outcomes.record(CdrRecord.of(event, clock.instant()));
        } catch (RuntimeException e) {
            // never let a CDR problem travel back into the signaling path
            log.error("CDR of call {} not recorded: {}", event.callId(), e.toString(), e);
        }
    }

    /** A media application says how it served a call: the record of the caller's leg to it says so too. */
    @EventListener
    void on(CallOutcome outcome) {
        try {
            outcomes.outcome(outcome);
        } catch (RuntimeException e) {
            log.error("Outcome of call {} not recorded: {}", outcome.callId(), e.toString(), e);
        }
    }

    void offer(CdrRecord record) {
        writer.offer(record);
    }

    Path spoolDir() {
        return writer.spoolDir();
    }

    CdrPartitions partitions() {
        return partitions;
    }

    @Override
    public void start() {
        writer.start();
    }

    @Override
    public void stop() {
        outcomes.close();
        writer.stop();
    }

    @Override
    public boolean isRunning() {
        return writer.isRunning();
    }

    /** Starts before and stops after the HTTP server and the SIP stack (default phase), before the pool closes. */
    @Override
    public int getPhase() {
        return 0;
    }
}

package org.callibry.server.cdr.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.callibry.server.calls.CallEnded;
import org.callibry.server.calls.CallOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Turns {@link CallEnded} events into {@code cdr} rows without ever holding up the thread that
 * publishes them (the SIP stack's). The listener only puts the record in a bounded queue; one writer
 * thread takes up to {@code batch-size} records at a time (waiting at most {@code flush-interval}
 * after the first) and inserts them in one transaction.
 *
 * <p>Nothing is dropped: a batch the database cannot take (down, restarting, unreachable) goes to the
 * {@link CdrSpool} on disk and the writer switches to outage mode, spooling every batch and trying the
 * database every {@code retry-interval}; once it answers, the spool is written back oldest segment
 * first, each segment deleted only after its commit. A full queue sends the record to the spool too.
 * The spool left by an earlier run is written at start-up. On shutdown the queue is written out
 * (to the database, or the spool) before the connection pool closes.
 */
@Component
class CdrWriter implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(CdrWriter.class);
    private static final long MAINTENANCE_NANOS = Duration.ofHours(6).toNanos();
    private static final long STOP_WAIT_MILLIS = 15_000;
    private static final long OVERFLOW_LOG_NANOS = Duration.ofMinutes(1).toNanos();

    private final CdrProperties properties;
    private final CdrPartitions partitions;
    private final CdrStore store;
    private final CdrSpool spool;
    private final BlockingQueue<CdrRecord> queue;
    private final CdrOutcomes outcomes = new CdrOutcomes(this::offer);
    private final Clock clock = Clock.systemUTC();
    private final long flushNanos;
    private final long retryNanos;
    private final Counter written;
    private final Counter spooled;
    private final Counter rejected;
    private final Counter lost;
    private final Timer writes;
    private final Object lifecycle = new Object();
    private volatile Thread thread;
    private volatile boolean stopping;
    private volatile long lastOverflowLog = System.nanoTime() - OVERFLOW_LOG_NANOS;

    CdrWriter(DataSource dataSource, CdrProperties properties, MeterRegistry meters) {
        this.properties = properties;
        this.partitions = new CdrPartitions(dataSource, properties.partitionsAhead(), clock);
        this.store = new CdrStore(dataSource, partitions);
        this.spool = new CdrSpool(properties.spoolDir());
        this.queue = new ArrayBlockingQueue<>(properties.queueCapacity());
        this.flushNanos = properties.flushInterval().toNanos();
        this.retryNanos = properties.retryInterval().toNanos();
        this.written = Counter.builder("callibry.cdr.records.written").description("CDRs stored in the database")
                .register(meters);
        this.spooled = Counter.builder("callibry.cdr.records.spooled")
                .description("CDRs written to the disk spool (database unavailable or queue full)").register(meters);
        this.rejected = Counter.builder("callibry.cdr.records.rejected")
                .description("CDRs the database refused for their content, kept in the spool's rejected/ directory")
                .register(meters);
        this.lost = Counter.builder("callibry.cdr.records.lost")
                .description("CDRs neither stored nor spooled (the spool could not be written); logged").register(meters);
        this.writes = Timer.builder("callibry.cdr.writes").description("database writes of CDR batches").register(meters);
        Gauge.builder("callibry.cdr.queue.size", queue, BlockingQueue::size).description("CDRs waiting in memory")
                .register(meters);
        Gauge.builder("callibry.cdr.spool.records", spool, CdrSpool::pending)
                .description("CDRs waiting in the disk spool").register(meters);
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
        if (!stopping && queue.offer(record)) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastOverflowLog >= OVERFLOW_LOG_NANOS) {
            lastOverflowLog = now;
            log.warn(stopping ? "CDR writer stopped: records go straight to the spool"
                    : "CDR queue full ({} records): records go straight to the spool", properties.queueCapacity());
        }
        spill(List.of(record));
    }

    Path spoolDir() {
        return spool.dir();
    }

    CdrPartitions partitions() {
        return partitions;
    }

    // ---- lifecycle ----

    @Override
    public void start() {
        synchronized (lifecycle) {
            if (thread == null) {
                stopping = false;
                thread = Thread.ofVirtual().name("cdr-writer").start(this::run);
            }
        }
    }

    @Override
    public void stop() {
        outcomes.close();
        Thread t;
        synchronized (lifecycle) {
            t = thread;
            if (t == null) {
                return;
            }
            stopping = true;
        }
        try {
            if (!t.join(Duration.ofMillis(STOP_WAIT_MILLIS))) {
                log.warn("CDR writer still busy after {} ms at shutdown; {} records queued", STOP_WAIT_MILLIS, queue.size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (lifecycle) {
            thread = null;
        }
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }

    /** Starts before and stops after the HTTP server and the SIP stack (default phase), before the pool closes. */
    @Override
    public int getPhase() {
        return 0;
    }

    // ---- the writer thread ----

    private void run() {
        boolean outage = false;
        long nextProbe = System.nanoTime();
        long nextMaintenance = System.nanoTime();
        long nextSpoolRead = System.nanoTime();
        List<CdrRecord> batch = new ArrayList<>(properties.batchSize());
        while (true) {
            // read first: whatever was offered before stop() is in the queue and gets written below
            boolean last = stopping;
            batch.clear();
            try {
                boolean replayDue = !outage && spool.pending() > 0 && System.nanoTime() - nextSpoolRead >= 0;
                // with spooled records to catch up on, take what is queued without waiting for more
                collect(batch, last || replayDue);
                long now = System.nanoTime();
                if (outage && now - nextProbe >= 0) {
                    outage = !store.reachable();
                    nextProbe = now + retryNanos;
                    if (!outage) {
                        log.info("CDR database answers again; writing the {} spooled records", spool.pending());
                    }
                }
                if (!outage && !last && now - nextMaintenance >= 0) {
                    nextMaintenance = now + maintain();
                }
                if (!outage && !last && replayDue) {
                    try {
                        outage = !replayOldestSegment();
                    } catch (IOException e) {
                        nextSpoolRead = now + retryNanos;
                        log.error("Cannot read the CDR spool {}: {}", spool.dir(), e.getMessage());
                    }
                    if (outage) {
                        nextProbe = now + retryNanos;
                    }
                }
                if (!batch.isEmpty()) {
                    if (!outage && !write(batch)) {
                        outage = true;
                        nextProbe = now + retryNanos;
                    }
                    if (outage) {
                        spill(batch);
                    }
                }
            } catch (RuntimeException e) {
                // a bug must not end the writer: keep the batch on disk and go on
                log.error("CDR writer: {}", e.toString(), e);
                spill(batch);
            }
            if (last && queue.isEmpty()) {
                break;
            }
        }
        spool.close();
    }

    /** Fills {@code batch} with up to batch-size records, waiting at most flush-interval after the first (no wait when {@code now}). */
    private void collect(List<CdrRecord> batch, boolean now) {
        int max = properties.batchSize();
        try {
            CdrRecord first = now ? queue.poll() : queue.poll(flushNanos, TimeUnit.NANOSECONDS);
            if (first == null) {
                return;
            }
            long deadline = System.nanoTime() + flushNanos;
            batch.add(first);
            queue.drainTo(batch, max - batch.size());
            while (!now && batch.size() < max) {
                long left = deadline - System.nanoTime();
                CdrRecord next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
                if (next == null) {
                    return;
                }
                batch.add(next);
                queue.drainTo(batch, max - batch.size());
            }
        } catch (InterruptedException e) {
            stopping = true;
            queue.drainTo(batch, max - batch.size());
        }
    }

    /** Keeps the coming months' partitions ready; returns the time until the next check. */
    private long maintain() {
        try {
            partitions.ensureAhead();
            return MAINTENANCE_NANOS;
        } catch (SQLException e) {
            log.warn("Cannot prepare the coming CDR partitions ({}); retrying", e.getMessage());
            return retryNanos;
        }
    }

    /** Writes the oldest spool segment and deletes it; false when the database is unavailable. */
    private boolean replayOldestSegment() throws IOException {
        List<Path> segments = spool.seal();
        if (segments.isEmpty()) {
            return true;
        }
        CdrSpool.Segment segment = spool.read(segments.getFirst());
        if (!write(segment.records())) {
            return false;
        }
        spool.delete(segment);
        log.info("Wrote {} spooled CDRs from {}; {} still spooled", segment.records().size(), segment.path().getFileName(),
                spool.pending());
        return true;
    }

    /**
     * Inserts the records; true when they are stored, or set aside because the database refuses their
     * content (each row is then tried alone, so one bad row does not hold back the others); false when
     * the database is unavailable and the records must be kept for later.
     */
    private boolean write(List<CdrRecord> records) {
        if (records.isEmpty()) {
            return true;
        }
        long t0 = System.nanoTime();
        try {
            written.increment(store.insert(records));
            writes.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
            return true;
        } catch (SQLException | RuntimeException e) {
            if (!CdrStore.isBadData(e)) {
                log.warn("Cannot write {} CDRs ({}); spooling them until the database answers", records.size(), e.getMessage());
                return false;
            }
        }
        List<CdrRecord> refused = new ArrayList<>();
        for (CdrRecord r : records) {
            try {
                written.increment(store.insert(List.of(r)));
            } catch (SQLException | RuntimeException e) {
                if (!CdrStore.isBadData(e)) {
                    return false;
                }
                log.error("CDR {} (Call-ID {}) refused by the database: {}", r.id(), r.callId(), e.getMessage());
                refused.add(r);
            }
        }
        if (!refused.isEmpty()) {
            try {
                spool.reject(refused);
                rejected.increment(refused.size());
            } catch (IOException e) {
                lose(refused, e);
            }
        }
        return true;
    }

    private void spill(List<CdrRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        try {
            spool.append(records);
            spooled.increment(records.size());
        } catch (IOException | RuntimeException e) {
            lose(records, e);
        }
    }

    private void lose(List<CdrRecord> records, Exception e) {
        lost.increment(records.size());
        log.error("{} CDRs could not be stored nor spooled to {} ({}); they are only in this log:", records.size(), spool.dir(),
                e.toString());
        for (CdrRecord r : records) {
            log.error("lost CDR {}", r);
        }
    }
}

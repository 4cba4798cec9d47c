package org.callibry.server.storage;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes records to the database in batches without ever holding up the thread that offers them (the
 * SIP stack's, the ACD's): {@link #offer} only puts the record in a bounded queue; one writer thread
 * takes up to {@code batchSize} records at a time (waiting at most {@code flushInterval} after the first)
 * and hands them to the {@link Sink} in one transaction.
 *
 * <p>Nothing is dropped: a batch the database cannot take (down, restarting, unreachable) goes to the
 * {@link Spool} on disk and the writer switches to outage mode, spooling every batch and trying the
 * database every {@code retryInterval}; once it answers, the spool is written back oldest segment
 * first, each segment deleted only after its commit. A full queue sends the record to the spool too.
 * The spool left by an earlier run is written at start-up. On {@link #stop} the queue is written out
 * (to the database, or the spool). Used by the CDR and the queue log.
 */
public final class SpooledWriter<T> {
    private static final Logger log = LoggerFactory.getLogger(SpooledWriter.class);
    private static final long MAINTENANCE_NANOS = Duration.ofHours(6).toNanos();
    private static final long STOP_WAIT_MILLIS = 15_000;
    private static final long OVERFLOW_LOG_NANOS = Duration.ofMinutes(1).toNanos();
    private static final long POLL_NANOS = Duration.ofMillis(10).toNanos();

    /** Where the records go. */
    public interface Sink<T> {

        /** Inserts the rows in one transaction; returns how many were stored (duplicates replayed may be skipped). */
        int insert(List<T> rows) throws SQLException;

        /** Does the database answer? (probed during an outage) */
        boolean reachable();

        /** True when {@code e} means "these rows are wrong" (kept apart), not "the database is away" (retried). */
        boolean isBadData(Exception e);

        /** Housekeeping every few hours, e.g. the coming months' partitions. */
        default void maintain() throws SQLException {
        }
    }

    /**
     * @param what        the records' name in logs ({@code CDR}, {@code queue log})
     * @param meterPrefix meters are {@code <prefix>.records.written|spooled|rejected|lost}, {@code <prefix>.writes},
     *                    {@code <prefix>.queue.size}, {@code <prefix>.spool.records}
     * @param spoolPrefix segment file names in the spool directory
     */
    public record Settings(String what, String meterPrefix, String threadName, String spoolPrefix, int batchSize,
                           Duration flushInterval, int queueCapacity, Path spoolDir, Duration retryInterval) {
    }

    /**
     * Is this a failure of the rows themselves (SQLSTATE class 22 "data exception" or 23 "integrity
     * constraint violation"), which no retry will cure? Anything else (connection, shutdown, locks,
     * resources) is worth retrying later.
     */
    public static boolean isBadData(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null
                    && (s.getSQLState().startsWith("22") || s.getSQLState().startsWith("23"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * A UUID version 7 (RFC 9562 §5.7): 48 bits of Unix milliseconds, then 74 random bits. Records of
     * one moment sort together, and a writer makes ids without asking the database, so a record
     * replayed from the spool is recognised, not doubled.
     */
    public static java.util.UUID timeOrderedId(java.time.Instant time) {
        long millis = Math.max(0, time.toEpochMilli()) & 0xFFFF_FFFF_FFFFL;
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        long msb = millis << 16 | 0x7000L | random.nextLong() & 0x0FFFL;
        long lsb = random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL | 0x8000_0000_0000_0000L;
        return new java.util.UUID(msb, lsb);
    }

    /** Does the database answer? */
    public static boolean reachable(javax.sql.DataSource dataSource) {
        try (java.sql.Connection c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private final String what;
    private final Settings settings;
    private final Sink<T> sink;
    private final Function<T, String> describe;
    private final Spool<T> spool;
    private final BlockingQueue<T> queue;
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

    /** {@code describe} names a record in the log when the database refuses it (its id, say). */
    public SpooledWriter(Settings settings, Class<T> type, Sink<T> sink, Function<T, String> describe, MeterRegistry meters) {
        this.settings = settings;
        this.what = settings.what();
        this.sink = sink;
        this.describe = describe;
        this.spool = new Spool<>(settings.spoolDir(), settings.spoolPrefix(), type);
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.flushNanos = settings.flushInterval().toNanos();
        this.retryNanos = settings.retryInterval().toNanos();
        String p = settings.meterPrefix();
        this.written = Counter.builder(p + ".records.written").description(what + " records stored in the database")
                .register(meters);
        this.spooled = Counter.builder(p + ".records.spooled")
                .description(what + " records written to the disk spool (database unavailable or queue full)").register(meters);
        this.rejected = Counter.builder(p + ".records.rejected")
                .description(what + " records the database refused for their content, kept in the spool's rejected/ directory")
                .register(meters);
        this.lost = Counter.builder(p + ".records.lost")
                .description(what + " records neither stored nor spooled (the spool could not be written); logged").register(meters);
        this.writes = Timer.builder(p + ".writes").description("database writes of " + what + " batches").register(meters);
        Gauge.builder(p + ".queue.size", queue, BlockingQueue::size).description(what + " records waiting in memory")
                .register(meters);
        Gauge.builder(p + ".spool.records", spool, Spool::pending).description(what + " records waiting in the disk spool")
                .register(meters);
    }

    /** Only queues the record (or, with the queue full, spools it); never blocks on the database. */
    public void offer(T record) {
        if (!stopping && queue.offer(record)) {
            if (stopping && queue.remove(record)) {
                spill(List.of(record)); // stop() came in between: the writer may have drained the queue for the last time
            }
            return;
        }
        long now = System.nanoTime();
        if (now - lastOverflowLog >= OVERFLOW_LOG_NANOS) {
            lastOverflowLog = now;
            log.warn(stopping ? "{} writer stopped: records go straight to the spool"
                    : "{} queue full ({} records): records go straight to the spool", what, settings.queueCapacity());
        }
        spill(List.of(record));
    }

    public Path spoolDir() {
        return spool.dir();
    }

    // ---- lifecycle ----

    public void start() {
        synchronized (lifecycle) {
            if (thread == null) {
                stopping = false;
                thread = Thread.ofVirtual().name(settings.threadName()).start(this::run);
            }
        }
    }

    public void stop() {
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
                log.warn("{} writer still busy after {} ms at shutdown; {} records queued", what, STOP_WAIT_MILLIS, queue.size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (lifecycle) {
            thread = null;
        }
    }

    public boolean isRunning() {
        return thread != null;
    }

    // ---- the writer thread ----

    private void run() {
        boolean outage = false;
        long nextProbe = System.nanoTime();
        long nextMaintenance = System.nanoTime();
        long nextSpoolRead = System.nanoTime();
        List<T> batch = new ArrayList<>(settings.batchSize());
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
                    outage = !sink.reachable();
                    nextProbe = now + retryNanos;
                    if (!outage) {
                        log.info("{} database answers again; writing the {} spooled records", what, spool.pending());
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
                        log.error("Cannot read the {} spool {}: {}", what, spool.dir(), e.getMessage());
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
            } catch (RuntimeException | AssertionError e) {
                // a bug must not end the writer: keep the batch on disk and go on
                log.error("{} writer: {}", what, e.toString(), e);
                spill(batch);
            }
            if (last && queue.isEmpty()) {
                break;
            }
        }
        spool.close();
    }

    /**
     * Fills {@code batch} with up to batch-size records, waiting at most flush-interval after the first (no
     * wait when {@code now}). The writer looks at the queue every {@link #POLL_NANOS} rather than waiting
     * on it: a blocking wait makes every {@link #offer} wake this thread, a system call and a context
     * switch paid by the publisher (the SIP threads) for each record.
     */
    private void collect(List<T> batch, boolean now) {
        int max = settings.batchSize();
        T first = queue.poll();
        if (first == null) {
            if (now || !pause(Math.min(POLL_NANOS, flushNanos)) || (first = queue.poll()) == null) {
                return;
            }
        }
        long deadline = System.nanoTime() + flushNanos;
        batch.add(first);
        queue.drainTo(batch, max - batch.size());
        while (!now && batch.size() < max && !stopping) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !pause(Math.min(left, POLL_NANOS))) {
                return;
            }
            queue.drainTo(batch, max - batch.size());
        }
    }

    /** Sleeps; false when interrupted (then the writer stops after this batch). */
    private boolean pause(long nanos) {
        try {
            Thread.sleep(Duration.ofNanos(nanos));
            return true;
        } catch (InterruptedException e) {
            stopping = true;
            return false;
        }
    }

    /** The sink's housekeeping (the coming months' partitions); returns the time until the next one. */
    private long maintain() {
        try {
            sink.maintain();
            return MAINTENANCE_NANOS;
        } catch (SQLException e) {
            log.warn("Cannot prepare the coming {} partitions ({}); retrying", what, e.getMessage());
            return retryNanos;
        }
    }

    /** Writes the oldest spool segment and deletes it; false when the database is unavailable. */
    private boolean replayOldestSegment() throws IOException {
        List<Path> segments = spool.seal();
        if (segments.isEmpty()) {
            return true;
        }
        Spool.Segment<T> segment = spool.read(segments.getFirst());
        if (!write(segment.records())) {
            return false;
        }
        spool.delete(segment);
        log.info("Wrote {} spooled {} records from {}; {} still spooled", segment.records().size(), what,
                segment.path().getFileName(), spool.pending());
        return true;
    }

    /**
     * Inserts the records; true when they are stored, or set aside because the database refuses their
     * content (each row is then tried alone, so one bad row does not hold back the others); false when
     * the database is unavailable and the records must be kept for later.
     */
    private boolean write(List<T> records) {
        if (records.isEmpty()) {
            return true;
        }
        long t0 = System.nanoTime();
        try {
            written.increment(sink.insert(records));
            writes.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
            return true;
        } catch (SQLException | RuntimeException e) {
            if (!sink.isBadData(e)) {
                log.warn("Cannot write {} {} records ({}); spooling them until the database answers", records.size(), what,
                        e.getMessage());
                return false;
            }
        } catch (AssertionError e) {
            // the JDBC driver's own checks (with -ea) when the connection dies mid-batch: an outage, not a reason to stop
            log.warn("Cannot write {} {} records ({}); spooling them until the database answers", records.size(), what,
                    e.toString());
            return false;
        }
        List<T> refused = new ArrayList<>();
        for (T r : records) {
            try {
                written.increment(sink.insert(List.of(r)));
            } catch (SQLException | RuntimeException e) {
                if (!sink.isBadData(e)) {
                    return false;
                }
                log.error("{} record {} refused by the database: {}", what, describe.apply(r), e.getMessage());
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

    private void spill(List<T> records) {
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

    private void lose(List<T> records, Exception e) {
        lost.increment(records.size());
        log.error("{} {} records could not be stored nor spooled to {} ({}); they are only in this log:", records.size(), what,
                spool.dir(), e.toString());
        for (T r : records) {
            log.error("lost {} record {}", what, r);
        }
    }
}

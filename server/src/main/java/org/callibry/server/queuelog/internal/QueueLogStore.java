package org.callibry.server.queuelog.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.TreeSet;
import java.util.List;
import javax.sql.DataSource;
import org.callibry.server.storage.MonthlyPartitions;
import org.callibry.server.storage.SpooledWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Inserts queue log rows in one transaction (a JDBC batch), the month's partition made first. */
final class QueueLogStore implements SpooledWriter.Sink<QueueLogRecord> {
    private static final Logger log = LoggerFactory.getLogger(QueueLogStore.class);
    private static final long PARTITION_RETRY_NANOS = 60_000_000_000L;
    private static final Duration LATE = Duration.ofHours(1);
    private static final String INSERT = "insert into queue_log (id, at, tenant_id, queue_id, call_id, entry_id, event, caller,"
            + " agent_id, account_id, position, wait_seconds, status, state, detail) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " on conflict do nothing";

    private final DataSource dataSource;
    private final MonthlyPartitions partitions;
    private long nextPartitionAttempt = System.nanoTime();

    QueueLogStore(DataSource dataSource, MonthlyPartitions partitions) {
        this.dataSource = dataSource;
        this.partitions = partitions;
    }

    @Override
    public int insert(List<QueueLogRecord> rows) throws SQLException {
        if (rows.isEmpty()) {
            return 0;
        }
        if (System.nanoTime() - nextPartitionAttempt >= 0) {
            try {
                partitions.ensureFor(rows.stream().map(QueueLogRecord::at).toList());
            } catch (SQLException e) {
                nextPartitionAttempt = System.nanoTime() + PARTITION_RETRY_NANOS;
                log.warn("Cannot create a queue log partition ({}); rows go to queue_log_default meanwhile", e.getMessage());
            }
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                for (QueueLogRecord r : rows) {
                    int i = 0;
                    ps.setObject(++i, r.id());
                    ps.setTimestamp(++i, Timestamp.from(r.at()));
                    ps.setLong(++i, r.tenantId());
                    setLong(ps, ++i, r.queueId());
                    ps.setString(++i, r.callId());
                    ps.setString(++i, r.entryId());
                    ps.setString(++i, r.event());
                    ps.setString(++i, r.caller());
                    setLong(ps, ++i, r.agentId());
                    setLong(ps, ++i, r.accountId());
                    ps.setInt(++i, r.position());
                    ps.setLong(++i, r.waitSeconds());
                    ps.setString(++i, r.status());
                    ps.setString(++i, r.state());
                    ps.setString(++i, r.detail() == null ? "" : r.detail());
                    ps.addBatch();
                }
                int stored = 0;
                for (int n : ps.executeBatch()) {
                    stored += Math.max(0, n);
                }
                markLate(c, rows);
                c.commit();
                return stored;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException ignored) {
                    // the connection is gone; the batch is retried or spooled
                }
                throw e;
            }
        }
    }

    /**
     * Rows written an hour or more after their time (replayed from the spool) may change KPI rollups
     * already made: their days are marked for {@link KpiRollups} to roll up again.
     */
    private static void markLate(Connection c, List<QueueLogRecord> rows) throws SQLException {
        Instant late = Instant.now().minus(LATE);
        Set<Instant> days = new TreeSet<>();
        for (QueueLogRecord r : rows) {
            if (r.at().isBefore(late)) {
                days.add(r.at().truncatedTo(ChronoUnit.DAYS));
            }
        }
        if (days.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("insert into queue_kpi_dirty (day) values (?) on conflict do nothing")) {
            for (Instant day : days) {
                ps.setTimestamp(1, Timestamp.from(day));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, v);
        }
    }

    @Override
    public boolean reachable() {
        return SpooledWriter.reachable(dataSource);
    }

    @Override
    public boolean isBadData(Exception e) {
        return SpooledWriter.isBadData(e);
    }

    @Override
    public void maintain() throws SQLException {
        partitions.ensureAhead();
    }
}

package org.callibry.server.cdr.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inserts records into {@code cdr}: multi-row {@code INSERT}s of at most {@value #ROWS_PER_STATEMENT}
 * rows in one transaction, {@code ON CONFLICT DO NOTHING} so a record written twice (replayed from
 * the spool after a crash between commit and delete) is stored once.
 */
final class CdrStore {
    private static final Logger log = LoggerFactory.getLogger(CdrStore.class);
    /** 17 parameters a row; PostgreSQL takes at most 65535 per statement. */
    static final int ROWS_PER_STATEMENT = 1000;
    private static final String COLUMNS = "id, call_id, a_number, b_number, a_number_routed, b_number_routed, source,"
            + " destination, route_name, tenant_id, started_at, answered_at, ended_at, duration_ms, disposition, sip_code, reason";
    private static final String ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /** After a failed partition change, batches go to cdr_default for this long before the next try. */
    private static final long PARTITION_RETRY_NANOS = 60_000_000_000L;

    private final DataSource dataSource;
    private final CdrPartitions partitions;
    private long nextPartitionAttempt = System.nanoTime();

    CdrStore(DataSource dataSource, CdrPartitions partitions) {
        this.dataSource = dataSource;
        this.partitions = partitions;
    }

    /** Inserts the records in one transaction; returns how many were new. */
    int insert(List<CdrRecord> records) throws SQLException {
        if (records.isEmpty()) {
            return 0;
        }
        if (System.nanoTime() - nextPartitionAttempt >= 0) {
            try {
                partitions.ensureFor(records.stream().map(CdrRecord::startedAt).toList());
            } catch (SQLException e) {
                String state = e.getSQLState() == null ? "" : e.getSQLState();
                if (!state.startsWith("42") && !state.equals("55P03")) {
                    throw e;
                }
                // no right to create tables (42...), or a lock held by a long export (55P03): cdr_default takes the rows
                nextPartitionAttempt = System.nanoTime() + PARTITION_RETRY_NANOS;
                log.warn("Cannot create a CDR partition ({}); records go to cdr_default meanwhile", e.getMessage());
            }
        }
        int inserted = 0;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                for (int from = 0; from < records.size(); from += ROWS_PER_STATEMENT) {
                    List<CdrRecord> chunk = records.subList(from, Math.min(records.size(), from + ROWS_PER_STATEMENT));
                    try (PreparedStatement ps = c.prepareStatement(sql(chunk.size()))) {
                        int i = 0;
                        for (CdrRecord r : chunk) {
                            i = bind(ps, i, r);
                        }
                        inserted += ps.executeUpdate();
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            }
        }
        return inserted;
    }

    /** Does the database answer? */
    boolean reachable() {
        return org.callibry.server.storage.SpooledWriter.reachable(dataSource);
    }

    static boolean isBadData(Throwable e) {
        return org.callibry.server.storage.SpooledWriter.isBadData(e);
    }

    private static String sql(int rows) {
        StringBuilder sql = new StringBuilder(60 + COLUMNS.length() + rows * (ROW.length() + 2))
                .append("insert into cdr (").append(COLUMNS).append(") values ");
        for (int i = 0; i < rows; i++) {
            sql.append(i == 0 ? "" : ", ").append(ROW);
        }
        return sql.append(" on conflict do nothing").toString();
    }

    private static int bind(PreparedStatement ps, int i, CdrRecord r) throws SQLException {
        ps.setObject(++i, r.id());
        ps.setString(++i, r.callId());
        ps.setString(++i, r.aNumber());
        ps.setString(++i, r.bNumber());
        text(ps, ++i, r.aNumberRouted());
        text(ps, ++i, r.bNumberRouted());
        text(ps, ++i, r.source());
        text(ps, ++i, r.destination());
        text(ps, ++i, r.routeName());
        if (r.tenantId() == null) {
            ps.setNull(++i, Types.BIGINT);
        } else {
            ps.setLong(++i, r.tenantId());
        }
        time(ps, ++i, r.startedAt());
        time(ps, ++i, r.answeredAt());
        time(ps, ++i, r.endedAt());
        ps.setLong(++i, r.durationMs());
        ps.setString(++i, r.disposition().name());
        ps.setInt(++i, r.sipCode());
        ps.setString(++i, r.reason());
        return i;
    }

    private static void text(PreparedStatement ps, int i, String value) throws SQLException {
        if (value == null) {
            ps.setNull(i, Types.VARCHAR);
        } else {
            ps.setString(i, value);
        }
    }

    private static void time(PreparedStatement ps, int i, Instant value) throws SQLException {
        if (value == null) {
            ps.setNull(i, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(i, value.atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the pool discards it
        }
    }
}

package org.callibry.server.cdr.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monthly partitions of {@code cdr} ({@code cdr_pYYYY_MM}, months in UTC). Keeps the current
 * month and {@code ahead} more ready, and makes the partition of any recent month a batch needs.
 * A month's rows that landed in {@code cdr_default} meanwhile are moved into its new partition.
 */
final class CdrPartitions {
    private static final Logger log = LoggerFactory.getLogger(CdrPartitions.class);
    /** Serialises partition changes between servers sharing one database. */
    private static final long LOCK_KEY = 0x6364725F70617274L; // "cdr_part"
    /** Months further back than this are left in the default partition: they come from a wrong clock. */
    private static final int MONTHS_BACK = 12;

    private final DataSource dataSource;
    private final int ahead;
    private final Clock clock;
    private final Set<YearMonth> ready = ConcurrentHashMap.newKeySet();

    CdrPartitions(DataSource dataSource, int ahead, Clock clock) {
        this.dataSource = dataSource;
        this.ahead = ahead;
        this.clock = clock;
    }

    static String name(YearMonth month) {
        return String.format("cdr_p%04d_%02d", month.getYear(), month.getMonthValue());
    }

    /** The current month and the {@code ahead} months after it. */
    void ensureAhead() throws SQLException {
        YearMonth now = YearMonth.now(clock.withZone(ZoneOffset.UTC));
        for (int i = 0; i <= ahead; i++) {
            ensure(now.plusMonths(i));
        }
    }

    /** The partitions of the months these start times fall in, where the month is plausible (not years off). */
    void ensureFor(Collection<Instant> startTimes) throws SQLException {
        YearMonth now = YearMonth.now(clock.withZone(ZoneOffset.UTC));
        Set<YearMonth> months = new TreeSet<>();
        for (Instant t : startTimes) {
            YearMonth m = YearMonth.from(t.atOffset(ZoneOffset.UTC));
            if (!ready.contains(m) && !m.isBefore(now.minusMonths(MONTHS_BACK)) && !m.isAfter(now.plusMonths(ahead))) {
                months.add(m);
            }
        }
        for (YearMonth m : months) {
            ensure(m);
        }
    }

    /** Creates the month's partition unless it exists; true when this call created it. */
    boolean ensure(YearMonth month) throws SQLException {
        if (ready.contains(month)) {
            return false;
        }
        String name = name(month);
        String from = month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC).toString();
        String to = month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC).toString();
        String bounds = "for values from ('" + from + "') to ('" + to + "')";
        boolean created = false;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                // creating a partition locks the parent briefly; never queue the inserts behind a long export
                s.execute("set local lock_timeout = '5s'");
                s.execute("select pg_advisory_xact_lock(" + LOCK_KEY + ")");
                if (!exists(s, "select to_regclass('" + name + "') is not null")) {
                    String range = "started_at >= '" + from + "' and started_at < '" + to + "'";
                    if (exists(s, "select exists (select 1 from cdr_default where " + range + ")")) {
                        // cdr_default holds rows of this month: a partition cannot be created over them, so
                        // build it beside the table, move the rows in, then attach it (its indexes come with it)
                        s.execute("create table " + name + " (like cdr including defaults including constraints)");
                        int moved = s.executeUpdate("with moved as (delete from cdr_default where " + range + " returning *)"
                                + " insert into " + name + " select * from moved");
                        s.execute("alter table cdr attach partition " + name + " " + bounds);
                        log.info("Created CDR partition {} and moved {} records of that month out of cdr_default", name, moved);
                    } else {
                        s.execute("create table " + name + " partition of cdr " + bounds);
                        log.info("Created CDR partition {}", name);
                    }
                    created = true;
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        ready.add(month);
        return created;
    }

    private static boolean exists(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}

package org.callibry.server.storage;

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
 * The monthly partitions of a table partitioned by range of a time column ({@code <table>_pYYYY_MM},
 * months in UTC, beside a {@code <table>_default} partition). Keeps the current month and {@code ahead}
 * more ready, and makes the partition of any recent month a batch needs. A month's rows that landed in
 * the default partition meanwhile are moved into its new partition. Used by the CDR and the queue log.
 */
public class MonthlyPartitions {
    private static final Logger log = LoggerFactory.getLogger(MonthlyPartitions.class);
    /** Months further back than this are left in the default partition: they come from a wrong clock. */
    private static final int MONTHS_BACK = 12;

    private final DataSource dataSource;
    private final String table;
    private final String timeColumn;
    /** Serialises partition changes of this table between servers sharing one database. */
    private final long lockKey;
    private final int ahead;
    private final Clock clock;
    private final Set<YearMonth> ready = ConcurrentHashMap.newKeySet();

    public MonthlyPartitions(DataSource dataSource, String table, String timeColumn, int ahead, Clock clock) {
        if (!table.matches("[a-z_][a-z0-9_]*") || !timeColumn.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("not a plain SQL name: " + table + "." + timeColumn);
        }
        this.dataSource = dataSource;
        this.table = table;
        this.timeColumn = timeColumn;
        this.lockKey = 0x7061727400000000L | (table.hashCode() & 0xFFFFFFFFL); // "part" + the table
        this.ahead = ahead;
        this.clock = clock;
    }

    public static String name(String table, YearMonth month) {
        return String.format("%s_p%04d_%02d", table, month.getYear(), month.getMonthValue());
    }

    /** The current month and the {@code ahead} months after it. */
    public void ensureAhead() throws SQLException {
        YearMonth now = YearMonth.now(clock.withZone(ZoneOffset.UTC));
        for (int i = 0; i <= ahead; i++) {
            ensure(now.plusMonths(i));
        }
    }

    /** The partitions of the months these start times fall in, where the month is plausible (not years off). */
    public void ensureFor(Collection<Instant> startTimes) throws SQLException {
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
    public boolean ensure(YearMonth month) throws SQLException {
        if (ready.contains(month)) {
            return false;
        }
        String name = name(table, month);
        String from = month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC).toString();
        String to = month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC).toString();
        String bounds = "for values from ('" + from + "') to ('" + to + "')";
        boolean created = false;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                // creating a partition locks the parent briefly; never queue the inserts behind a long export
                s.execute("set local lock_timeout = '5s'");
                s.execute("select pg_advisory_xact_lock(" + lockKey + ")");
                if (!exists(s, "select to_regclass('" + name + "') is not null")) {
                    String range = timeColumn + " >= '" + from + "' and " + timeColumn + " < '" + to + "'";
                    if (exists(s, "select exists (select 1 from " + table + "_default where " + range + ")")) {
                        // the default partition holds rows of this month: a partition cannot be created over them, so
                        // build it beside the table, move the rows in, then attach it (its indexes come with it)
                        s.execute("create table " + name + " (like " + table + " including defaults including constraints)");
                        int moved = s.executeUpdate("with moved as (delete from " + table + "_default where " + range + " returning *)"
                                + " insert into " + name + " select * from moved");
                        s.execute("alter table " + table + " attach partition " + name + " " + bounds);
                        log.info("Created partition {} and moved {} rows of that month out of {}_default", name, moved, table);
                    } else {
                        s.execute("create table " + name + " partition of " + table + " " + bounds);
                        log.info("Created partition {}", name);
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

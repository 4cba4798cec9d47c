package org.callibry.server.cdr.internal;

import java.time.Clock;
import java.time.YearMonth;
import javax.sql.DataSource;
import org.callibry.server.storage.MonthlyPartitions;

/** The monthly partitions of {@code cdr} by {@code started_at} ({@code cdr_pYYYY_MM}, months in UTC). */
final class CdrPartitions extends MonthlyPartitions {

    CdrPartitions(DataSource dataSource, int ahead, Clock clock) {
        super(dataSource, "cdr", "started_at", ahead, clock);
    }

    static String name(YearMonth month) {
        return MonthlyPartitions.name("cdr", month);
    }
}

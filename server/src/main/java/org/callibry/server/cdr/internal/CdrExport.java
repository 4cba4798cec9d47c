package org.callibry.server.cdr.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import javax.sql.DataSource;
import org.callibry.server.storage.Sql;
import org.callibry.shared.csv.Csv;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes every CDR matching a search as CSV, streamed: the rows come through a server-side cursor
 * ({@value #FETCH_SIZE} at a time, which PostgreSQL only does inside a transaction) and go straight
 * to the writer, so an export of millions of calls needs no more memory than one of ten. The file is
 * for spreadsheets and its text comes from callers, so every field passes {@link Csv#guardFormula}
 * before RFC 4180 quoting ({@link Csv}).
 */
@Component
class CdrExport {
    static final int FETCH_SIZE = 1000;
    static final String[] HEADER = {"id", "callId", "aNumber", "bNumber", "aNumberRouted", "bNumberRouted", "source",
            "destination", "routeName", "tenantId", "startedAt", "answeredAt", "endedAt", "durationMs", "disposition",
            "sipCode", "reason", "createdAt"};

    private final JdbcClient jdbc;
    private final TransactionTemplate readOnly;

    CdrExport(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
        this.readOnly = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.readOnly.setReadOnly(true);
    }

    /** Writes the header and every matching row, newest first; returns the number of rows. */
    long write(Sql.Where where, Writer out) throws IOException {
        row(out, HEADER);
        long[] rows = {0};
        try {
            readOnly.executeWithoutResult(status -> jdbc
                    .sql("select " + CdrQuery.COLUMNS + " from cdr" + where.sql() + " order by " + CdrQuery.ORDER)
                    .params(where.params())
                    .withFetchSize(FETCH_SIZE)
                    .query((ResultSet rs) -> {
                        try {
                            row(out, fields(rs));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                        rows[0]++;
                    }));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        out.flush();
        return rows[0];
    }

    /** One field as the export writes it: a would-be formula defused, then quoted as RFC 4180 §2.6 says. */
    static String field(String value) {
        return Csv.field(Csv.guardFormula(value));
    }

    /** Writes one record of the export and its CRLF, each field as {@link #field} has it. */
    static void row(Writer out, String... fields) throws IOException {
        Csv.guardedRow(out, fields);
    }

    private static String[] fields(ResultSet rs) throws SQLException {
        long tenant = rs.getLong("tenant_id");
        String tenantId = rs.wasNull() ? null : Long.toString(tenant);
        return new String[]{rs.getString("id"), rs.getString("call_id"), rs.getString("a_number"), rs.getString("b_number"),
                rs.getString("a_number_routed"), rs.getString("b_number_routed"), rs.getString("source"),
                rs.getString("destination"), rs.getString("route_name"), tenantId, time(rs, "started_at"),
                time(rs, "answered_at"), time(rs, "ended_at"), Long.toString(rs.getLong("duration_ms")),
                rs.getString("disposition"), Integer.toString(rs.getInt("sip_code")), rs.getString("reason"),
                time(rs, "created_at")};
    }

    private static String time(ResultSet rs, String column) throws SQLException {
        Instant t = Sql.instant(rs, column);
        return t == null ? null : t.toString();
    }
}

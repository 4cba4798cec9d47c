package org.callibry.server.cdr.internal;

import java.sql.SQLException;
import java.util.List;
import org.callibry.server.api.Caller;
import org.callibry.server.api.RpcException;
import org.callibry.server.api.RpcMethod;
import org.callibry.server.recording.RecordingIndex;
import org.callibry.server.storage.Sql;
import org.callibry.shared.api.Role;
import org.callibry.shared.api.dto.Cdrs;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * {@code cdr.search}: call detail records, most recent first, filtered and paged. Matches are counted
 * only up to {@code count-limit}, and each query may run {@code search-timeout} at most, so a broad
 * search over millions of calls stays cheap for the database.
 */
@Component
class CdrEndpoint {
    /** Admins and supervisors see every tenant (or their own when bound to one); customers their own. */
    static final Role[] ROLES = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER};

    private final JdbcClient jdbc;
    private final int countLimit;
    private final int timeoutSeconds;
    private final RecordingIndex recordings;

    CdrEndpoint(JdbcClient jdbc, CdrProperties properties, RecordingIndex recordings) {
        this.recordings = recordings;
        this.jdbc = jdbc;
        this.countLimit = properties.countLimit();
        this.timeoutSeconds = (int) Math.max(1, properties.searchTimeout().toSeconds());
    }

    @RpcMethod(value = "cdr.search", roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER},
            summary = "Call detail records, most recent first; filters: from/to (A/B-number: prefix, substring or exact), "
                    + "timeFrom/timeTo, disposition, route, tenantId; paged; total counted up to a limit")
    Cdrs.SearchResult search(Caller caller, Cdrs.SearchParams params) {
        Sql.Where where = CdrQuery.where(caller, params.filter());
        int offset = params.offset() == null ? 0 : params.offset();
        int limit = params.limit() == null ? Sql.DEFAULT_LIMIT : params.limit();
        try {
            List<Cdrs.Cdr> items = CdrQuery.withRecordings(jdbc.sql("select " + CdrQuery.COLUMNS + ", " + CdrQuery.NO_RECORDING
                            + " from cdr" + where.sql() + " order by " + CdrQuery.ORDER + " limit :limit offset :offset")
                    .params(where.params()).param("limit", limit).param("offset", offset)
                    .withQueryTimeout(timeoutSeconds).query(CdrQuery::map).list(), recordings);
            if (items.size() < limit && (offset == 0 || !items.isEmpty())) {
                // a short page is the end: no need to count
                return new Cdrs.SearchResult(items, offset + items.size(), true, offset, limit);
            }
            // count(*) over a subquery with a limit stops after count-limit + 1 rows instead of reading every match
            long counted = jdbc.sql("select count(*) from (select 1 from cdr" + where.sql() + " limit :countLimit) matches")
                    .params(where.params()).param("countLimit", countLimit + 1)
                    .withQueryTimeout(timeoutSeconds).query(Long.class).single();
            boolean exact = counted <= countLimit;
            return new Cdrs.SearchResult(items, exact ? counted : countLimit, exact, offset, limit);
        } catch (DataAccessException e) {
            if (cancelled(e)) {
                throw RpcException.invalid("params", "the search took longer than " + timeoutSeconds + " s; narrow it with "
                        + "timeFrom/timeTo, tenantId or a prefix match of from/to");
            }
            throw e;
        }
    }

    /** SQLSTATE 57014: the statement was cancelled, here by the query timeout. */
    private static boolean cancelled(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && "57014".equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}

package org.callibry.server.cdr.internal;

import java.util.List;
import org.callibry.server.cdr.CallHistory;
import org.callibry.server.storage.Sql;
import org.callibry.shared.api.dto.Calls;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** {@link CallHistory} over the {@code cdr} table (its tenant and number indexes). */
@Component
class CdrHistory implements CallHistory {
    private final JdbcClient jdbc;

    CdrHistory(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<Calls.PastCall> lastCalls(long tenantId, String number, int limit) {
        return jdbc.sql("select call_id, started_at, a_number, b_number, disposition, duration_ms, reason from cdr"
                        + " where tenant_id = ? and (a_number = ? or b_number = ?) order by started_at desc limit ?")
                .params(tenantId, number, number, Math.max(1, Math.min(limit, 100)))
                .query((rs, n) -> new Calls.PastCall(rs.getString(1), Sql.instant(rs, "started_at"), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getLong(6) / 1000, rs.getString(7))).list();
    }
}

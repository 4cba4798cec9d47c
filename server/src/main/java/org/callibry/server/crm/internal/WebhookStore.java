package org.callibry.server.crm.internal;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;
import org.callibry.server.storage.Sql;
import org.callibry.shared.api.dto.Page;
import org.callibry.shared.api.dto.Webhooks;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The CRM's webhook tables: subscriptions ({@code webhook}) and deliveries ({@code webhook_delivery}),
 * which are at once the delivery queue (pending rows, claimed by {@link WebhookDeliverer}) and the
 * delivery log.
 */
@Component
class WebhookStore {
    private static final String COLUMNS = "id, tenant_id, url, secret, events, enabled, created_at, updated_at";
    private static final String DELIVERY_COLUMNS = "seq, webhook_id, tenant_id, event_id, event_type, call_id, status, attempts,"
            + " status_code, error, created_at, last_attempt_at, next_attempt_at, delivered_at";

    /** A subscription as the deliverer needs it, secret included. */
    record Subscription(long id, long tenantId, String url, String secret, List<String> events, boolean enabled,
                        Instant createdAt, Instant updatedAt) {

        Webhooks.Webhook view(boolean withSecret) {
            return new Webhooks.Webhook(id, tenantId, url, events, enabled, withSecret ? secret : null, createdAt, updatedAt);
        }
    }

    /** A pending delivery claimed for one attempt. */
    record Claimed(long seq, long webhookId, String eventId, String type, String callId, String body, int attempts,
                   String url, String secret) {
    }

    private final JdbcClient jdbc;
    private final DataSource dataSource;

    WebhookStore(JdbcClient jdbc, DataSource dataSource) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
    }

    // ---------------------------------------------------------------- subscriptions

    List<Subscription> all() {
        return jdbc.sql("select " + COLUMNS + " from webhook order by id").query(WebhookStore::subscription).list();
    }

    Subscription find(long id) {
        return jdbc.sql("select " + COLUMNS + " from webhook where id = ?").param(id).query(WebhookStore::subscription)
                .optional().orElse(null);
    }

    int count(long tenantId) {
        return jdbc.sql("select count(*) from webhook where tenant_id = ?").param(tenantId).query(Integer.class).single();
    }

    long insert(long tenantId, String url, String secret, List<String> events, boolean enabled) {
        return jdbc.sql("insert into webhook (tenant_id, url, secret, events, enabled) values (?, ?, ?, ?, ?) returning id")
                .params(tenantId, url, secret, events.toArray(String[]::new), enabled).query(Long.class).single();
    }

    void update(long id, String url, String secret, List<String> events, boolean enabled) {
        jdbc.sql("update webhook set url = ?, secret = ?, events = ?, enabled = ?, updated_at = now() where id = ?")
                .params(url, secret, events.toArray(String[]::new), enabled, id).update();
    }

    /** Deletes the subscription and (cascade) its delivery log. */
    void delete(long id) {
        jdbc.sql("delete from webhook where id = ?").param(id).update();
    }

    private static Subscription subscription(ResultSet rs, int n) throws SQLException {
        Array events = rs.getArray("events");
        return new Subscription(rs.getLong("id"), rs.getLong("tenant_id"), rs.getString("url"), rs.getString("secret"),
                Arrays.asList((String[]) events.getArray()), rs.getBoolean("enabled"), Sql.instant(rs, "created_at"),
                Sql.instant(rs, "updated_at"));
    }

    // ---------------------------------------------------------------- the queue

    /** Stores new deliveries in one transaction; a delivery already stored (a replayed spool) is skipped. */
    int insert(List<PendingDelivery> rows) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement("insert into webhook_delivery (webhook_id, tenant_id, event_id,"
                    + " event_type, call_id, body, next_attempt_at, created_at)"
                    + " select ?, ?, ?, ?, ?, ?, ?, ? where exists (select 1 from webhook where id = ?)"
                    + " on conflict (webhook_id, event_id) do nothing")) {
                for (PendingDelivery d : rows) {
                    Timestamp at = Timestamp.from(d.at());
                    s.setLong(1, d.webhookId());
                    s.setLong(2, d.tenantId());
                    s.setObject(3, d.eventId());
                    s.setString(4, d.type());
                    s.setString(5, d.callId());
                    s.setString(6, d.body());
                    s.setTimestamp(7, at);
                    s.setTimestamp(8, at);
                    s.setLong(9, d.webhookId());
                    s.addBatch();
                }
                int stored = 0;
                for (int r : s.executeBatch()) {
                    stored += Math.max(r, 0);
                }
                c.commit();
                return stored;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    boolean reachable() {
        return org.callibry.server.storage.SpooledWriter.reachable(dataSource);
    }

    /**
     * Claims up to {@code limit} due deliveries for one attempt each: counts the attempt and leases the
     * row until {@code leaseUntil} (a crash mid-attempt makes it due again then). A delivery is due when
     * its time has come, its subscription is enabled and no earlier delivery of the same call to the same
     * subscription is still pending: the events of a call arrive in order. Rows locked by another server
     * are skipped.
     */
    List<Claimed> claim(Instant now, Instant leaseUntil, int limit) {
        return jdbc.sql("update webhook_delivery d set attempts = d.attempts + 1, last_attempt_at = :now,"
                        + " next_attempt_at = :lease from webhook w"
                        + " where w.id = d.webhook_id and d.seq in (select p.seq from webhook_delivery p"
                        + " join webhook s on s.id = p.webhook_id and s.enabled"
                        + " where p.status = 'PENDING' and p.next_attempt_at <= :now"
                        + " and not exists (select 1 from webhook_delivery e where e.call_id = p.call_id"
                        + " and e.webhook_id = p.webhook_id and e.status = 'PENDING' and e.seq < p.seq)"
                        + " order by p.next_attempt_at, p.seq limit :limit for update of p skip locked)"
                        + " returning d.seq, d.webhook_id, d.event_id, d.event_type, d.call_id, d.body, d.attempts, w.url, w.secret")
                .param("now", Timestamp.from(now)).param("lease", Timestamp.from(leaseUntil)).param("limit", limit)
                .query((rs, n) -> new Claimed(rs.getLong("seq"), rs.getLong("webhook_id"), rs.getString("event_id"),
                        rs.getString("event_type"), rs.getString("call_id"), rs.getString("body"), rs.getInt("attempts"),
                        rs.getString("url"), rs.getString("secret"))).list();
    }

    void delivered(long seq, int statusCode, Instant at) {
        jdbc.sql("update webhook_delivery set status = 'DELIVERED', status_code = ?, error = null, delivered_at = ?,"
                + " next_attempt_at = null where seq = ?").params(statusCode, Timestamp.from(at), seq).update();
    }

    /** A failed attempt: tried again at {@code next}, or (null) failed for good. */
    void attemptFailed(long seq, Integer statusCode, String error, Instant next) {
        jdbc.sql("update webhook_delivery set status = ?, status_code = ?, error = ?, next_attempt_at = ? where seq = ?")
                .params(next == null ? "FAILED" : "PENDING", statusCode, error, next == null ? null : Timestamp.from(next), seq)
                .update();
    }

    // ---------------------------------------------------------------- the log

    /** Deletes up to {@code limit} delivered or failed rows created before {@code cutoff}; returns how many. */
    int purge(Instant cutoff, int limit) {
        return jdbc.sql("delete from webhook_delivery where seq in (select seq from webhook_delivery"
                        + " where status <> 'PENDING' and created_at < ? order by seq limit ?)")
                .params(Timestamp.from(cutoff), limit).update();
    }

    /**
     * Makes a finished delivery pending again, due now, with its attempts counted afresh; false when it
     * is pending already (or gone).
     */
    boolean redeliver(long seq, Instant now) {
        return jdbc.sql("update webhook_delivery set status = 'PENDING', attempts = 0, next_attempt_at = ?, delivered_at = null"
                + " where seq = ? and status <> 'PENDING'").params(Timestamp.from(now), seq).update() > 0;
    }

    /** The tenant of delivery {@code seq}, or null when there is none. */
    Long tenantOfDelivery(long seq) {
        return jdbc.sql("select tenant_id from webhook_delivery where seq = ?").param(seq).query(Long.class).optional().orElse(null);
    }

    Page<Webhooks.Delivery> deliveries(Long tenantId, Long webhookId, String callId, Integer offset, Integer limit) {
        Sql.Where where = new Sql.Where().eq("tenant_id", tenantId).eq("webhook_id", webhookId).eq("call_id", callId);
        return Sql.page(jdbc, DELIVERY_COLUMNS, "webhook_delivery", where, "seq desc", offset, limit, (rs, n) ->
                new Webhooks.Delivery(rs.getLong("seq"), rs.getLong("webhook_id"), rs.getLong("tenant_id"),
                        rs.getString("event_id"), rs.getString("event_type"), rs.getString("call_id"),
                        Webhooks.Status.valueOf(rs.getString("status")), rs.getInt("attempts"), (Integer) rs.getObject("status_code"),
                        rs.getString("error"), Sql.instant(rs, "created_at"), Sql.instant(rs, "last_attempt_at"),
                        Sql.instant(rs, "next_attempt_at"), Sql.instant(rs, "delivered_at")));
    }
}

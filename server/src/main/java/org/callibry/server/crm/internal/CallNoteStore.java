package org.callibry.server.crm.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.callibry.server.storage.Sql;
import org.callibry.shared.api.dto.CallNotes;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The tables {@code wrapup_code}, {@code call_note} and {@code queue_script} (migration V15). */
@Component
class CallNoteStore {
    private static final String CODE_COLUMNS = "id, tenant_id, code, label, enabled, updated_at";
    private static final String NOTE_SELECT = "select n.id, n.tenant_id, n.call_id, n.user_id, n.username, n.wrapup_code,"
            + " w.label as wrapup_label, n.text, n.created_at, n.updated_at from call_note n"
            + " left join wrapup_code w on w.tenant_id = n.tenant_id and w.code = n.wrapup_code";

    private final JdbcClient jdbc;

    CallNoteStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    // ---- wrap-up codes ----

    CallNotes.WrapupCode createCode(long tenantId, String code, String label, boolean enabled) {
        return jdbc.sql("insert into wrapup_code (tenant_id, code, label, enabled) values (?, ?, ?, ?) returning " + CODE_COLUMNS)
                .params(tenantId, code, label, enabled).query(CallNoteStore::code).single();
    }

    Optional<CallNotes.WrapupCode> code(long id) {
        return jdbc.sql("select " + CODE_COLUMNS + " from wrapup_code where id = ?").param(id).query(CallNoteStore::code).optional();
    }

    Optional<CallNotes.WrapupCode> code(long tenantId, String code) {
        return jdbc.sql("select " + CODE_COLUMNS + " from wrapup_code where tenant_id = ? and code = ?").params(tenantId, code)
                .query(CallNoteStore::code).optional();
    }

    List<CallNotes.WrapupCode> codes(Long tenantId, boolean enabledOnly) {
        return jdbc.sql("select " + CODE_COLUMNS + " from wrapup_code where (cast(? as bigint) is null or tenant_id = ?)"
                        + (enabledOnly ? " and enabled" : "") + " order by tenant_id, label, id")
                .params(tenantId, tenantId).query(CallNoteStore::code).list();
    }

    CallNotes.WrapupCode updateCode(long id, String label, Boolean enabled) {
        return jdbc.sql("update wrapup_code set label = coalesce(?, label), enabled = coalesce(?, enabled), updated_at = now()"
                + " where id = ? returning " + CODE_COLUMNS).params(label, enabled, id).query(CallNoteStore::code).single();
    }

    void deleteCode(long id) {
        jdbc.sql("delete from wrapup_code where id = ?").param(id).update();
    }

    private static CallNotes.WrapupCode code(ResultSet rs, int n) throws SQLException {
        return new CallNotes.WrapupCode(rs.getLong("id"), rs.getLong("tenant_id"), rs.getString("code"), rs.getString("label"),
                rs.getBoolean("enabled"), Sql.instant(rs, "updated_at"));
    }

    // ---- notes ----

    long addNote(long tenantId, String callId, long userId, String username, String wrapupCode, String text) {
        return jdbc.sql("insert into call_note (tenant_id, call_id, user_id, username, wrapup_code, text) values (?, ?, ?, ?, ?, ?)"
                + " returning id").params(tenantId, callId, userId, username, wrapupCode, text).query(Long.class).single();
    }

    Optional<CallNotes.Note> note(long id) {
        return jdbc.sql(NOTE_SELECT + " where n.id = ?").param(id).query(CallNoteStore::note).optional();
    }

    /** The notes of a call, oldest first; {@code tenantId} null: of every tenant. */
    List<CallNotes.Note> notes(String callId, Long tenantId) {
        return jdbc.sql(NOTE_SELECT + " where n.call_id = ? and (cast(? as bigint) is null or n.tenant_id = ?) order by n.id")
                .params(callId, tenantId, tenantId).query(CallNoteStore::note).list();
    }

    void updateNote(long id, String wrapupCode, boolean setCode, String text) {
        jdbc.sql("update call_note set wrapup_code = case when ? then ? else wrapup_code end, text = coalesce(?, text),"
                + " updated_at = now() where id = ?").params(setCode, wrapupCode, text, id).update();
    }

    void deleteNote(long id) {
        jdbc.sql("delete from call_note where id = ?").param(id).update();
    }

    private static CallNotes.Note note(ResultSet rs, int n) throws SQLException {
        return new CallNotes.Note(rs.getLong("id"), rs.getLong("tenant_id"), rs.getString("call_id"), rs.getLong("user_id"),
                rs.getString("username"), rs.getString("wrapup_code"), rs.getString("wrapup_label"), rs.getString("text"),
                Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"));
    }

    // ---- queue scripts ----

    record Script(String text, String updatedBy, java.time.Instant updatedAt) {
    }

    Optional<Script> script(long queueId) {
        return jdbc.sql("select text, updated_by, updated_at from queue_script where queue_id = ?").param(queueId)
                .query((rs, n) -> new Script(rs.getString("text"), rs.getString("updated_by"), Sql.instant(rs, "updated_at")))
                .optional();
    }

    void setScript(long queueId, long tenantId, String text, String by) {
        if (text.isEmpty()) {
            jdbc.sql("delete from queue_script where queue_id = ?").param(queueId).update();
            return;
        }
        jdbc.sql("insert into queue_script (queue_id, tenant_id, text, updated_by) values (?, ?, ?, ?) on conflict (queue_id)"
                + " do update set text = excluded.text, updated_by = excluded.updated_by, updated_at = now()")
                .params(queueId, tenantId, text, by).update();
    }
}

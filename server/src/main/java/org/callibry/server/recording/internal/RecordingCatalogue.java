package org.callibry.server.recording.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.callibry.server.recording.RecordingIndex;
import org.callibry.server.storage.Sql;
import org.callibry.shared.api.dto.Recordings;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The {@code recording} table: one row per recorded call, with its state and the MP3 file's name. */
@Component
class RecordingCatalogue implements RecordingIndex {
    static final String COLUMNS = "id, tenant_id, call_id, a_number, b_number, started_at, duration_ms, channels, size_bytes,"
            + " file_name, state, error, created_at";

    private final JdbcClient jdbc;

    RecordingCatalogue(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public java.util.Map<String, Long> latestByCall(java.util.Collection<String> callIds) {
        java.util.Map<String, Long> out = new java.util.HashMap<>();
        if (callIds.isEmpty()) {
            return out;
        }
        jdbc.sql("select distinct on (call_id) call_id, id from recording where call_id = any(?) and state <> 'failed'"
                        + " order by call_id, id desc")
                .param(callIds.toArray(String[]::new))
                .query((rs, n) -> out.put(rs.getString(1), rs.getLong(2))).list();
        return out;
    }

    /** A row and its file, relative to the recordings directory. */
    record Entry(Recordings.Recording recording, String fileName) {
    }

    /** Inserts a 'converting' row for {@code fileName}, or finds the one already there; returns its id. */
    long converting(Long tenantId, String callId, String aNumber, String bNumber, Instant startedAt, int channels,
                    String fileName, String error) {
        Optional<Long> inserted = jdbc.sql("insert into recording (tenant_id, call_id, a_number, b_number, started_at, channels,"
                        + " file_name, state, error) values (?, ?, ?, ?, ?, ?, ?, 'converting', ?)"
                        + " on conflict (file_name) do nothing returning id")
                .params(tenantId, callId, aNumber == null ? "" : aNumber, bNumber == null ? "" : bNumber,
                        startedAt.atOffset(ZoneOffset.UTC), channels, fileName, error)
                .query(Long.class).optional();
        return inserted.orElseGet(() -> jdbc.sql("select id from recording where file_name = ?").param(fileName)
                .query(Long.class).single());
    }

    void ready(long id, long durationMs, long sizeBytes) {
        jdbc.sql("update recording set state = 'ready', duration_ms = ?, size_bytes = ? where id = ?")
                .params(durationMs, sizeBytes, id).update();
    }

    void failed(long id, String error) {
        jdbc.sql("update recording set state = 'failed', error = ? where id = ?").params(error, id).update();
    }

    Optional<Entry> find(long id) {
        return jdbc.sql("select " + COLUMNS + " from recording where id = ?").param(id).query(RecordingCatalogue::entry).optional();
    }

    Optional<Entry> findByFile(String fileName) {
        return jdbc.sql("select " + COLUMNS + " from recording where file_name = ?").param(fileName)
                .query(RecordingCatalogue::entry).optional();
    }

    /** Rows of calls started before {@code cutoff}, oldest first, at most {@code limit}. */
    List<Entry> olderThan(Instant cutoff, int limit) {
        return jdbc.sql("select " + COLUMNS + " from recording where started_at < ? order by started_at limit ?")
                .params(cutoff.atOffset(ZoneOffset.UTC), limit).query(RecordingCatalogue::entry).list();
    }

    void delete(long id) {
        jdbc.sql("delete from recording where id = ?").param(id).update();
    }

    static Entry entry(ResultSet rs, int n) throws SQLException {
        return new Entry(map(rs, n), rs.getString("file_name"));
    }

    static Recordings.Recording map(ResultSet rs, int n) throws SQLException {
        return new Recordings.Recording(rs.getLong("id"), Sql.nullableLong(rs, "tenant_id"), rs.getString("call_id"),
                rs.getString("a_number"), rs.getString("b_number"), Sql.instant(rs, "started_at"), rs.getLong("duration_ms"),
                rs.getInt("channels"), rs.getLong("size_bytes"),
                Recordings.State.valueOf(rs.getString("state").toUpperCase(java.util.Locale.ROOT)), rs.getString("error"),
                Sql.instant(rs, "created_at"));
    }
}

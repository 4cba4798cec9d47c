package org.callibry.server.storage;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.callibry.server.api.RpcException;
import org.callibry.shared.api.dto.Page;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Small JDBC helpers every module's stores use: optional filters with named parameters, paged and
 * counted queries, and constraint violations turned into API errors that name the field.
 */
public final class Sql {
    public static final int DEFAULT_LIMIT = 50;

    private Sql() {
    }

    /**
     * Resolves the optional filters {@code (cast(:name as bigint) is null or <column> = :name)} of a
     * statement for the value at hand: {@code <column> = :name}, or {@code true} when it is null. The
     * statement reads as one SQL text, yet each variant gets a plan of its own: a prepared statement's
     * generic plan cannot use an index for a condition that may be switched off.
     */
    public static String optional(String sql, String name, Object value) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\(cast\\(:" + name
                + " as bigint\\) is null or ([\\w.]+) = :" + name + "\\)").matcher(sql);
        return m.replaceAll(r -> value == null ? "true" : java.util.regex.Matcher.quoteReplacement(r.group(1) + " = :" + name));
    }

    /** A conjunction of optional conditions with named parameters. */
    public static final class Where {
        private final List<String> parts = new ArrayList<>();
        private final Map<String, Object> params = new HashMap<>();

        public Where eq(String column, Object value) {
            if (value != null) {
                String p = "p" + params.size();
                parts.add(column + " = :" + p);
                params.put(p, value instanceof Enum<?> e ? e.name() : value);
            }
            return this;
        }

        /** Any condition; {@code :name} placeholders in it are bound to {@code value} under {@code name}. */
        public Where and(String condition, String name, Object value) {
            parts.add(condition);
            params.put(name, value);
            return this;
        }

        /** Case-insensitive substring match of {@code query} on any of the columns. */
        public Where search(String query, String... columns) {
            if (query != null && !query.isBlank()) {
                String p = "p" + params.size();
                params.put(p, "%" + query.strip().toLowerCase(Locale.ROOT)
                        .replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
                List<String> ors = new ArrayList<>();
                for (String c : columns) {
                    ors.add("lower(" + c + ") like :" + p);
                }
                parts.add("(" + String.join(" or ", ors) + ")");
            }
            return this;
        }

        public String sql() {
            return parts.isEmpty() ? "" : " where " + String.join(" and ", parts);
        }

        /** The named parameters of {@link #sql()}, for queries other than {@link Sql#page}. */
        public Map<String, Object> params() {
            return Collections.unmodifiableMap(params);
        }
    }

    /** One page of {@code select <columns> from <from> <where> order by <order>}, with the total count. */
    public static <T> Page<T> page(JdbcClient jdbc, String columns, String from, Where where, String order,
                            Integer offset, Integer limit, RowMapper<T> mapper) {
        int off = offset == null ? 0 : offset;
        int lim = limit == null ? DEFAULT_LIMIT : limit;
        long total = jdbc.sql("select count(*) from " + from + where.sql()).params(where.params)
                .query(Long.class).single();
        List<T> items = jdbc.sql("select " + columns + " from " + from + where.sql() + " order by " + order
                        + " limit :limit offset :offset")
                .params(where.params).param("limit", lim).param("offset", off)
                .query(mapper).list();
        return new Page<>(items, total, off, lim);
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        var ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }

    public static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    /**
     * Maps a constraint violation to a conflict error naming the field: unique constraints through
     * {@code uniqueFields} (constraint name to field), foreign keys as "still in use".
     */
    public static RpcException conflict(DataIntegrityViolationException e, Map<String, String> uniqueFields) {
        ServerErrorMessage m = serverError(e);
        String constraint = m == null ? null : m.getConstraint();
        String state = m == null ? "" : m.getSQLState();
        if ("23505".equals(state) && constraint != null && uniqueFields.containsKey(constraint)) {
            return RpcException.conflict(uniqueFields.get(constraint), "already exists");
        }
        if ("23503".equals(state)) {
            String table = m.getTable();
            return RpcException.conflict("id", "still referenced by " + (table == null ? "other objects" : table.replace('_', ' '))
                    + " records; delete or move them first");
        }
        throw e;
    }

    private static ServerErrorMessage serverError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PSQLException p) {
                return p.getServerErrorMessage();
            }
        }
        return null;
    }
}

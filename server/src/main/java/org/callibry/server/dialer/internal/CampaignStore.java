package org.callibry.server.dialer.internal;

import java.io.IOException;
import java.io.Writer;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.callibry.server.storage.Sql;
import org.callibry.shared.api.dto.Campaigns;
import org.callibry.shared.api.dto.Page;
import org.callibry.shared.csv.Csv;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dialer's tables: campaigns with their progress counters ({@code dialer_campaign}), numbers
 * ({@code dialer_number}), attempts ({@code dialer_attempt}) and the do-not-call list
 * ({@code dialer_dnc}). A number goes {@code PENDING → DIALING} in the transaction that writes its
 * attempt, before the call is placed, and leaves {@code DIALING} in the one that writes the result, so
 * after a crash the numbers still {@code DIALING} are exactly the attempts cut short. Times come from the
 * {@link DialerClock} as parameters, never from the database's {@code now()}, so tests can move them.
 */
@Component
class CampaignStore {
    static final String COLUMNS = "id, tenant_id, name, status, on_answer, audio_file_ids, play_times, ivr_id, queue_id, caller_id,"
            + " max_concurrent, calls_per_second, ring_timeout_seconds, retry_busy, retry_busy_minutes, retry_no_answer,"
            + " retry_no_answer_minutes, retry_failed, retry_failed_minutes, days, time_from, time_to, time_zone, holidays,"
            + " predictive, max_abandon_percent, abandon_audio_id, dial_level, numbers_total, numbers_done, dialled, answered, busy,"
            + " no_answer, failed, abandoned, interrupted, dnc, created_at, updated_at";
    static final String[] RESULTS_HEADER = {"number", "name", "attempts", "lastResult", "lastAttemptAt", "talkSeconds", "callId"};
    private static final TypeReference<Map<String, String>> VARIABLES = new TypeReference<>() {
    };

    /** A number claimed for an attempt: the attempt is written, the number is {@code DIALING}. */
    record Claimed(long numberId, long attemptId, String number, String name, Map<String, String> variables, String callId,
                   int attempts) {
    }

    /** An attempt left open by a crash (its number still {@code DIALING}). */
    record Open(long campaignId, long numberId, long attemptId, Instant answeredAt) {
    }

    /** A number's retry counters after an attempt, to decide the next one. */
    record Counts(int busy, int noAnswer, int failed, int abandoned) {
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final JsonMapper json;

    CampaignStore(DataSource dataSource, TransactionTemplate tx, JsonMapper json) {
        this.jdbc = JdbcClient.create(dataSource);
        this.tx = tx;
        this.json = json;
    }

    // ---------------------------------------------------------------- campaigns

    List<Campaigns.Campaign> campaigns(Long tenantId, Campaigns.Status status) {
        Sql.Where w = new Sql.Where().eq("tenant_id", tenantId).eq("status", status);
        return jdbc.sql("select " + COLUMNS + " from dialer_campaign" + w.sql() + " order by id").params(w.params())
                .query((rs, n) -> map(rs)).list();
    }

    Campaigns.Campaign campaign(long id) {
        return jdbc.sql("select " + COLUMNS + " from dialer_campaign where id = ?").param(id).query((rs, n) -> map(rs))
                .optional().orElse(null);
    }

    /** Inserts ({@code id} null) or updates the campaign's settings (not its status or counters); returns its id. */
    long save(Long id, Campaigns.Campaign c) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("name", c.name());
        v.put("on_answer", c.onAnswer().name());
        v.put("play_times", c.playTimes());
        v.put("ivr_id", c.ivrId());
        v.put("queue_id", c.queueId());
        v.put("caller_id", c.callerId());
        v.put("max_concurrent", c.maxConcurrent());
        v.put("calls_per_second", c.callsPerSecond());
        v.put("ring_timeout_seconds", c.ringTimeoutSeconds());
        v.put("retry_busy", c.retry().busy().retries());
        v.put("retry_busy_minutes", c.retry().busy().minutes());
        v.put("retry_no_answer", c.retry().noAnswer().retries());
        v.put("retry_no_answer_minutes", c.retry().noAnswer().minutes());
        v.put("retry_failed", c.retry().failed().retries());
        v.put("retry_failed_minutes", c.retry().failed().minutes());
        v.put("time_from", blank(c.schedule().timeFrom()));
        v.put("time_to", blank(c.schedule().timeTo()));
        v.put("time_zone", blank(c.schedule().timeZone()));
        v.put("holidays", Boolean.TRUE.equals(c.schedule().holidays()));
        v.put("predictive", c.predictive());
        v.put("max_abandon_percent", c.maxAbandonPercent());
        v.put("abandon_audio_id", c.abandonAudioId());
        List<Object> params = new ArrayList<>(v.values());
        String arrays = "cast(? as bigint[]), cast(? as integer[])";
        params.add(array(c.audioFileIds()));
        params.add(array(c.schedule().days()));
        if (id == null) {
            params.add(c.tenantId());
            return jdbc.sql("insert into dialer_campaign (" + String.join(", ", v.keySet()) + ", audio_file_ids, days, tenant_id)"
                    + " values (" + "?, ".repeat(v.size()) + arrays + ", ?) returning id").params(params).query(Long.class).single();
        }
        params.add(id);
        jdbc.sql("update dialer_campaign set " + String.join(" = ?, ", v.keySet()) + " = ?, audio_file_ids = cast(? as bigint[]),"
                + " days = cast(? as integer[]), updated_at = now() where id = ?").params(params).update();
        return id;
    }

    void status(long id, Campaigns.Status status) {
        jdbc.sql("update dialer_campaign set status = ?, updated_at = now() where id = ?").params(status.name(), id).update();
    }

    /** FINISHED, unless the campaign was paused, stopped or deleted meanwhile; true when it was running. */
    boolean finishIfRunning(long id) {
        return jdbc.sql("update dialer_campaign set status = 'FINISHED', updated_at = now() where id = ? and status = 'RUNNING'")
                .params(id).update() > 0;
    }

    /**
     * Gives claimed numbers back (the campaign was paused or stopped between the claim and the calls):
     * their attempts are removed, the numbers wait again as before.
     */
    void release(long campaignId, List<Claimed> claimed) {
        if (claimed.isEmpty()) {
            return;
        }
        tx.executeWithoutResult(s -> {
            for (Claimed c : claimed) {
                jdbc.sql("delete from dialer_attempt where id = ?").params(c.attemptId()).update();
                jdbc.sql("update dialer_number set state = 'PENDING', attempts = greatest(0, attempts - 1) where id = ?"
                        + " and state = 'DIALING'").params(c.numberId()).update();
            }
            jdbc.sql("update dialer_campaign set dialled = greatest(0, dialled - ?) where id = ?").params(claimed.size(), campaignId)
                    .update();
        });
    }

    void dialLevel(long id, double level) {
        jdbc.sql("update dialer_campaign set dial_level = ? where id = ?").params(level, id).update();
    }

    void delete(long id) {
        jdbc.sql("delete from dialer_campaign where id = ?").param(id).update();
    }

    /** Whether the campaign has numbers to call (now or later) or attempts in the air. */
    boolean unfinished(long id) {
        return jdbc.sql("select exists (select 1 from dialer_number where campaign_id = ? and state <> 'DONE')").param(id)
                .query(Boolean.class).single();
    }

    // ---------------------------------------------------------------- numbers

    /** Rows inserted per statement ({@code unnest} of arrays): an upload of 100,000 numbers is 100 statements. */
    static final int BATCH = 1000;

    /** Adds the parsed rows that are neither on the tenant's do-not-call list nor in the campaign already. */
    Campaigns.Upload add(long campaignId, long tenantId, NumberList.Parsed parsed) {
        return tx.execute(s -> {
            List<Campaigns.Problem> problems = new ArrayList<>(parsed.problems());
            Set<String> dnc = dncAmong(tenantId, parsed.rows().stream().map(NumberList.Row::number).toList());
            List<NumberList.Row> rows = new ArrayList<>();
            int blocked = 0;
            for (NumberList.Row r : parsed.rows()) {
                if (dnc.contains(r.number())) {
                    blocked++;
                    problems.add(new Campaigns.Problem(r.line(), r.number(), "on the do-not-call list"));
                } else {
                    rows.add(r);
                }
            }
            int added = 0;
            int duplicates = parsed.duplicates();
            for (int i = 0; i < rows.size(); i += BATCH) {
                List<NumberList.Row> part = rows.subList(i, Math.min(rows.size(), i + BATCH));
                Set<String> inserted = new HashSet<>(jdbc.sql("""
                                insert into dialer_number (campaign_id, line, number, name, variables)
                                select ?, u.line, u.number, u.name, cast(u.variables as jsonb)
                                from unnest(cast(? as integer[]), cast(? as text[]), cast(? as text[]), cast(? as text[]))
                                     as u(line, number, name, variables)
                                on conflict (campaign_id, number) do nothing
                                returning number""")
                        .params(campaignId, part.stream().map(NumberList.Row::line).toArray(Integer[]::new),
                                part.stream().map(NumberList.Row::number).toArray(String[]::new),
                                part.stream().map(NumberList.Row::name).toArray(String[]::new),
                                part.stream().map(r -> json.writeValueAsString(r.variables())).toArray(String[]::new))
                        .query(String.class).list());
                added += inserted.size();
                for (NumberList.Row r : part) {
                    if (!inserted.contains(r.number())) {
                        duplicates++;
                        problems.add(new Campaigns.Problem(r.line(), r.number(), "already in the campaign"));
                    }
                }
            }
            jdbc.sql("update dialer_campaign set numbers_total = numbers_total + ?, updated_at = now() where id = ?")
                    .params(added, campaignId).update();
            problems.sort(java.util.Comparator.comparingInt(Campaigns.Problem::line));
            return new Campaigns.Upload(parsed.lines(), added, parsed.malformed(), duplicates, blocked, problems);
        });
    }

    /**
     * Claims up to {@code limit} numbers due at {@code now} (to call first: never tried, then by the time they
     * were due), skipping numbers of the tenant abandoned within the last 72 hours; each gets its attempt row.
     */
    List<Claimed> claim(long campaignId, long tenantId, int limit, Instant now) {
        if (limit <= 0) {
            return List.of();
        }
        return tx.execute(s -> {
            Timestamp at = Timestamp.from(now);
            List<Claimed> claimed = jdbc.sql("""
                    with due as (
                        select n.id from dialer_number n
                        where n.campaign_id = ? and n.state = 'PENDING' and (n.next_attempt_at is null or n.next_attempt_at <= ?)
                          and not exists (select 1 from dialer_attempt a where a.tenant_id = ? and a.number = n.number
                                          and a.result = 'ABANDONED' and a.started_at > ?)
                        order by n.next_attempt_at nulls first, n.id
                        limit ? for update skip locked)
                    update dialer_number n set state = 'DIALING', attempts = n.attempts + 1, last_attempt_at = ?
                    from due where n.id = due.id
                    returning n.id, n.number, n.name, n.variables::text, n.attempts""")
                    .params(campaignId, at, tenantId, Timestamp.from(now.minus(Retries.ABANDON_QUIET)), limit, at)
                    .query((rs, n) -> new Claimed(rs.getLong(1), 0, rs.getString(2), rs.getString(3), variables(rs.getString(4)),
                            null, rs.getInt(5))).list();
            List<Claimed> out = new ArrayList<>();
            for (Claimed c : claimed) {
                String callId = "dialer-" + campaignId + "-" + c.numberId() + "-" + c.attempts() + "-"
                        + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong());
                long attempt = jdbc.sql("insert into dialer_attempt (campaign_id, number_id, tenant_id, number, call_id, started_at)"
                                + " values (?, ?, ?, ?, ?, ?) returning id")
                        .params(campaignId, c.numberId(), tenantId, c.number(), callId, at).query(Long.class).single();
                out.add(new Claimed(c.numberId(), attempt, c.number(), c.name(), c.variables(), callId, c.attempts()));
            }
            if (!out.isEmpty()) {
                jdbc.sql("update dialer_campaign set dialled = dialled + ? where id = ?").params(out.size(), campaignId).update();
            }
            return out;
        });
    }

    /** Records an attempt's answer time (before its end, so a crash while talking still shows it). */
    void answered(long attemptId, Instant at) {
        jdbc.sql("update dialer_attempt set answered_at = ? where id = ?").params(Timestamp.from(at), attemptId).update();
    }

    /**
     * Records how an attempt ended and what happens to its number: tried again at {@code next}, or done
     * (null); the campaign's counters move in the same transaction. Returns the number's counters.
     */
    Counts finish(long campaignId, long numberId, long attemptId, Campaigns.Result result, int sipCode, Instant endedAt,
                  int talkSeconds, java.util.function.Function<Counts, Instant> next) {
        return tx.execute(s -> {
            int updated = jdbc.sql("update dialer_attempt set result = ?, sip_code = ?, ended_at = ?, talk_seconds = ?"
                            + " where id = ? and result is null")
                    .params(result.name(), sipCode, Timestamp.from(endedAt), talkSeconds, attemptId).update();
            if (updated == 0) {
                return null; // recorded already
            }
            String counter = switch (result) {
                case BUSY -> "busy_count";
                case NO_ANSWER -> "no_answer_count";
                case FAILED, INTERRUPTED -> "failed_count";
                case ABANDONED -> "abandoned_count";
                case ANSWERED, DNC -> null;
            };
            Counts counts = jdbc.sql("update dialer_number set " + (counter == null ? "" : counter + " = " + counter + " + 1, ")
                            + " last_result = ?, talk_seconds = talk_seconds + ?, call_id = (select call_id from dialer_attempt where id = ?)"
                            + " where id = ? returning busy_count, no_answer_count, failed_count, abandoned_count")
                    .params(result.name(), talkSeconds, attemptId, numberId)
                    .query((rs, n) -> new Counts(rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getInt(4))).single();
            Instant when = next.apply(counts);
            boolean dnc = when != null && jdbc.sql("select exists (select 1 from dialer_dnc d join dialer_campaign c on c.tenant_id ="
                    + " d.tenant_id join dialer_number n on n.number = d.number where c.id = ? and n.id = ?)")
                    .params(campaignId, numberId).query(Boolean.class).single();
            if (dnc) {
                // put on the do-not-call list while this attempt was in the air: no retry
                when = null;
                jdbc.sql("update dialer_number set last_result = 'DNC' where id = ?").param(numberId).update();
                jdbc.sql("update dialer_campaign set dnc = dnc + 1 where id = ?").param(campaignId).update();
            }
            boolean done = when == null;
            jdbc.sql("update dialer_number set state = ?, next_attempt_at = ? where id = ?")
                    .params(done ? "DONE" : "PENDING", done ? null : Timestamp.from(when), numberId).update();
            String column = switch (result) {
                case ANSWERED -> "answered";
                case BUSY -> "busy";
                case NO_ANSWER -> "no_answer";
                case FAILED -> "failed";
                case ABANDONED -> "abandoned";
                case INTERRUPTED -> "interrupted";
                case DNC -> "dnc";
            };
            jdbc.sql("update dialer_campaign set " + column + " = " + column + " + 1, numbers_done = numbers_done + ? where id = ?")
                    .params(done ? 1 : 0, campaignId).update();
            return counts;
        });
    }

    /** Attempts whose number is still {@code DIALING}: cut by a stop that could not record them (a crash). */
    List<Open> open() {
        return jdbc.sql("select a.campaign_id, a.number_id, a.id, a.answered_at from dialer_attempt a join dialer_number n"
                        + " on n.id = a.number_id where a.result is null and n.state = 'DIALING' order by a.id")
                .query((rs, n) -> new Open(rs.getLong(1), rs.getLong(2), rs.getLong(3), Sql.instant(rs, "answered_at"))).list();
    }

    /** Live answers and abandons per UTC day since {@code since}, for the 30-day abandon rate. */
    Map<LocalDate, long[]> answersByDay(long campaignId, Instant since) {
        Map<LocalDate, long[]> out = new TreeMap<>();
        jdbc.sql("select (started_at at time zone 'UTC')::date, count(*) filter (where result in ('ANSWERED', 'ABANDONED')),"
                        + " count(*) filter (where result = 'ABANDONED') from dialer_attempt where campaign_id = ? and started_at >= ?"
                        + " group by 1")
                .params(campaignId, Timestamp.from(since))
                .query((ResultSet rs) -> {
                    out.put(rs.getObject(1, LocalDate.class), new long[] {rs.getLong(2), rs.getLong(3)});
                });
        return out;
    }

    /** Rows of the results CSV read at a time: each page is a short query, so a slow download holds no connection. */
    static final int RESULTS_PAGE = 1000;

    /** One number's result, as the CSV has it. */
    private record ResultRow(long id, String[] fields) {
    }

    /**
     * Writes the per-number results as CSV (RFC 4180, guarded against formulas) in number order, a page
     * of {@link #RESULTS_PAGE} rows at a time: the connection goes back to the pool before the page is
     * written to the client, however slowly it reads.
     */
    long results(long campaignId, Writer out) throws IOException {
        Csv.guardedRow(out, RESULTS_HEADER);
        long rows = 0;
        long after = 0;
        while (true) {
            List<ResultRow> page = jdbc.sql("select id, number, name, attempts, last_result, last_attempt_at, talk_seconds, call_id"
                            + " from dialer_number where campaign_id = ? and id > ? order by id limit " + RESULTS_PAGE)
                    .params(campaignId, after)
                    .query((rs, n) -> {
                        Instant last = Sql.instant(rs, "last_attempt_at");
                        return new ResultRow(rs.getLong(1), new String[] {rs.getString(2), rs.getString(3),
                                Integer.toString(rs.getInt(4)), rs.getString(5), last == null ? null : last.toString(),
                                Integer.toString(rs.getInt(7)), rs.getString(8)});
                    }).list();
            for (ResultRow r : page) {
                Csv.guardedRow(out, r.fields());
                rows++;
                after = r.id();
            }
            if (page.size() < RESULTS_PAGE) {
                break;
            }
        }
        out.flush();
        return rows;
    }

    // ---------------------------------------------------------------- do-not-call

    Set<String> dncAmong(long tenantId, List<String> numbers) {
        Set<String> out = new HashSet<>();
        for (int i = 0; i < numbers.size(); i += 1000) {
            List<String> part = numbers.subList(i, Math.min(numbers.size(), i + 1000));
            out.addAll(jdbc.sql("select number from dialer_dnc where tenant_id = ? and number = any (cast(? as text[]))")
                    .params(tenantId, textArray(part)).query(String.class).list());
        }
        return out;
    }

    /**
     * Adds numbers to the tenant's list; numbers of the tenant's campaigns not called yet (or waiting for a
     * retry) become done with result {@code DNC}. Returns how many numbers were new on the list.
     */
    int addDnc(long tenantId, List<String> numbers, String note) {
        return tx.execute(s -> {
            int added = 0;
            for (int i = 0; i < numbers.size(); i += BATCH) {
                added += jdbc.sql("insert into dialer_dnc (tenant_id, number, note) select ?, u.number, ? from unnest(cast(? as text[]))"
                                + " as u(number) on conflict do nothing")
                        .params(tenantId, note == null ? "" : note, textArray(numbers.subList(i, Math.min(numbers.size(), i + BATCH))))
                        .update();
            }
            List<long[]> hit = jdbc.sql("""
                    update dialer_number n set state = 'DONE', last_result = 'DNC', next_attempt_at = null
                    from dialer_campaign c
                    where c.id = n.campaign_id and c.tenant_id = ? and n.state = 'PENDING' and n.number = any (cast(? as text[]))
                    returning n.campaign_id""").params(tenantId, textArray(numbers))
                    .query((rs, i) -> new long[] {rs.getLong(1)}).list();
            Map<Long, Integer> perCampaign = new HashMap<>();
            hit.forEach(h -> perCampaign.merge(h[0], 1, Integer::sum));
            perCampaign.forEach((campaign, count) -> jdbc.sql("update dialer_campaign set dnc = dnc + ?, numbers_done = numbers_done + ?"
                    + " where id = ?").params(count, count, campaign).update());
            return added;
        });
    }

    int removeDnc(long tenantId, List<String> numbers) {
        return jdbc.sql("delete from dialer_dnc where tenant_id = ? and number = any (cast(? as text[]))")
                .params(tenantId, textArray(numbers)).update();
    }

    Page<Campaigns.DncEntry> dnc(Long tenantId, String match, int offset, int limit) {
        Sql.Where w = new Sql.Where().eq("tenant_id", tenantId);
        if (match != null && !match.isBlank()) {
            w.and("strpos(number, :match) > 0", "match", match.strip());
        }
        return Sql.page(jdbc, "tenant_id, number, note, created_at", "dialer_dnc", w, "tenant_id, number", offset, limit,
                (rs, n) -> new Campaigns.DncEntry(rs.getLong(1), rs.getString(2), rs.getString(3), Sql.instant(rs, "created_at")));
    }

    // ---------------------------------------------------------------- mapping

    private Map<String, String> variables(String text) {
        return text == null || text.isBlank() ? Map.of() : json.readValue(text, VARIABLES);
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static String array(List<? extends Number> values) {
        return "{" + String.join(",", (values == null ? List.<Number>of() : values).stream().map(String::valueOf).toList()) + "}";
    }

    private static String[] textArray(List<String> values) {
        return values.toArray(String[]::new);
    }

    private static List<Long> longs(Array a) throws SQLException {
        List<Long> out = new ArrayList<>();
        if (a != null) {
            for (Object o : (Object[]) a.getArray()) {
                out.add(((Number) o).longValue());
            }
        }
        return List.copyOf(out);
    }

    private static Campaigns.Campaign map(ResultSet rs) throws SQLException {
        List<Integer> days = longs(rs.getArray("days")).stream().map(Long::intValue).toList();
        Campaigns.RetryPolicy retry = new Campaigns.RetryPolicy(
                new Campaigns.Retry(rs.getInt("retry_busy"), rs.getInt("retry_busy_minutes")),
                new Campaigns.Retry(rs.getInt("retry_no_answer"), rs.getInt("retry_no_answer_minutes")),
                new Campaigns.Retry(rs.getInt("retry_failed"), rs.getInt("retry_failed_minutes")));
        Campaigns.Schedule schedule = new Campaigns.Schedule(days, rs.getString("time_from"), rs.getString("time_to"),
                rs.getString("time_zone"), rs.getBoolean("holidays"));
        long total = rs.getLong("numbers_total");
        Campaigns.Progress progress = new Campaigns.Progress(total, rs.getLong("dialled"), rs.getLong("answered"),
                rs.getLong("busy"), rs.getLong("no_answer"), rs.getLong("failed"), rs.getLong("abandoned"), rs.getLong("interrupted"),
                rs.getLong("dnc"), total - rs.getLong("numbers_done"), 0);
        return new Campaigns.Campaign(rs.getLong("id"), rs.getLong("tenant_id"), rs.getString("name"),
                Campaigns.Status.valueOf(rs.getString("status")), Campaigns.OnAnswer.valueOf(rs.getString("on_answer")),
                longs(rs.getArray("audio_file_ids")), rs.getInt("play_times"), Sql.nullableLong(rs, "ivr_id"),
                Sql.nullableLong(rs, "queue_id"), rs.getString("caller_id"), rs.getInt("max_concurrent"),
                rs.getInt("calls_per_second"), rs.getInt("ring_timeout_seconds"), retry, schedule, rs.getBoolean("predictive"),
                rs.getDouble("max_abandon_percent"), Sql.nullableLong(rs, "abandon_audio_id"), progress,
                new Campaigns.Pacing(rs.getDouble("dial_level"), 0, rs.getDouble("max_abandon_percent"), 0, 0, 0, 0, 0, null, null),
                null, Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"));
    }
}

package org.callibry.server.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.callibry.server.api.ApiTestSupport;
import org.callibry.shared.api.client.CallibryClient;
import org.callibry.shared.api.dto.Queues;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Not a test: the portal benchmark of {@code docs/performance.md} ("Portal pages"). On the real server
 * (embedded PostgreSQL, production settings) it fills {@code portal.bench.cdrs} (1,000,000) call detail
 * records of one tenant over the last six days and {@code portal.bench.queue-calls} (20,000: a week of the
 * KPI benchmark's tenant with 1,000,000 queue calls a year) queue calls of it over the last 7 days, waits
 * until the server has rolled the final days up (the report reads the rollups and the last day from the
 * log, as in production), logs in as the tenant's customer and times whole page requests
 * over HTTP (server-side rendering included): the call log's first page, a filtered call log, the KPI
 * report of the last 7 days and the queue log's first page. Run it with
 * <pre>mvn -B -Pbench verify -pl server -am -Dit.test=PortalPagesBenchmark -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false</pre>
 * Prints a Markdown table and writes it to {@code server/target/portal-benchmark.md}.
 */
class PortalPagesBenchmark extends ApiTestSupport {
    private static final long CDRS = Long.getLong("portal.bench.cdrs", 1_000_000L);
    /** A week of the KPI benchmark's busy tenant (1,000,000 queue calls a year). */
    private static final long QUEUE_CALLS = Long.getLong("portal.bench.queue-calls", 20_000L);
    private static final int WARM_UP = 5;
    private static final int RUNS = 50;

    @Autowired
    JdbcClient jdbc;

    private final StringBuilder report = new StringBuilder();

    @Test
    void renderTheHeaviestPages() throws Exception {
        Fixture f = fixture();
        CallibryClient admin = admin();
        List<Long> queues = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            queues.add(admin.queues().create(new Queues.Create(f.tenant().id(), "58" + i + (int) (Math.random() * 10_000),
                    "Bench queue " + i, Queues.Strategy.LINEAR, List.of(new Queues.Member(f.account().id(), 0)), null, null,
                    null, null, null, null, 0, "en", 0, 15, 20, "", null, null, null, null, null, null, null, null, null)).id());
        }
        Instant now = Instant.now();
        long t0 = System.nanoTime();
        PortalData.cdrs(jdbc, f.tenant().id(), CDRS, now.minus(6, ChronoUnit.DAYS), now.minusSeconds(60));
        double cdrSeconds = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        PortalData.queueCalls(jdbc, f.tenant().id(), queues, List.of(f.account().id()), QUEUE_CALLS,
                now.minus(7, ChronoUnit.DAYS), now.minusSeconds(60));
        double queueSeconds = (System.nanoTime() - t0) / 1e9;
        // rows made by SQL, past the writer: mark their days as the writer marks late rows, so the server rolls them
        // up (again) within a minute or two; the report then reads the rollups and the last day from the log
        for (Instant day = now.minus(8, ChronoUnit.DAYS).truncatedTo(ChronoUnit.DAYS); day.isBefore(now); day = day.plus(1, ChronoUnit.DAYS)) {
            jdbc.sql("insert into queue_kpi_dirty (day) values (:d) on conflict do nothing")
                    .param("d", java.sql.Timestamp.from(day)).update();
        }
        t0 = System.nanoTime();
        Instant wanted = now.minus(2, ChronoUnit.DAYS);
        while (true) {
            java.sql.Timestamp rolled = jdbc.sql("select least(rolled_to, (select min(day) - interval '1 day' from queue_kpi_dirty))"
                    + " from queue_kpi_state where id = 1").query(java.sql.Timestamp.class).optional().orElse(null);
            if (rolled != null && rolled.toInstant().isAfter(wanted)) {
                break;
            }
            assertThat(System.nanoTime() - t0).as("KPI rollups up to " + wanted + ", now " + rolled).isLessThan(300_000_000_000L);
            Thread.sleep(1000);
        }
        double rollupSeconds = (System.nanoTime() - t0) / 1e9;
        List<org.callibry.shared.api.dto.Kpis.QueueKpi> kpis = admin.call(org.callibry.shared.api.Methods.KPI_QUEUES,
                new org.callibry.shared.api.dto.Kpis.QueueParams(now.minus(8, ChronoUnit.DAYS), Instant.now(), null, f.tenant().id()),
                admin.listOf(org.callibry.shared.api.dto.Kpis.QueueKpi.class));
        assertThat(kpis.stream().mapToLong(org.callibry.shared.api.dto.Kpis.QueueKpi::offered).sum())
                .as("every queue call counted, from the rollups and the log").isEqualTo(QUEUE_CALLS);

        line(String.format(Locale.ROOT, "Data: %,d CDRs of one tenant over 6 days (filled in %.0f s), %,d queue calls of it"
                + " over 7 days (%.0f s; rolled up by the server in %.0f s more); requests by one logged-in customer session,"
                + " %d after %d warm-up.", CDRS, cdrSeconds, QUEUE_CALLS, queueSeconds, rollupSeconds, RUNS, WARM_UP));
        line("");
        line("| page | bytes | p50 | p95 | max |");
        line("|---|---|---|---|---|");
        String week = LocalDate.now(ZoneOffset.UTC).minusDays(6).toString();
        try (PortalSession s = new PortalSession(base())) {
            assertThat(s.login(f.customer(), PASSWORD).statusCode()).isEqualTo(302);
            time(s, "call log, first page of 50 (with the total)", "portal/calls", "id=\"total\"");
            time(s, "call log, BUSY calls of the last 3 days", "portal/calls?outcome=BUSY&dateFrom="
                    + LocalDate.now(ZoneOffset.UTC).minusDays(2), "id=\"total\"");
            // the same searches through POST /api/rpc, to tell the page's own cost from the search's
            CallibryClient customer = as(f.customer());
            Instant today = LocalDate.now(ZoneOffset.UTC).atStartOfDay().toInstant(ZoneOffset.UTC);
            timeApi("(for comparison) cdr.search over JSON-RPC, first page of 50", () -> customer.cdrs(new org.callibry.shared.api.dto
                    .Cdrs.SearchParams(null, null, null, null, null, null, null, null, 0, 50)));
            timeApi("(for comparison) cdr.search over JSON-RPC, BUSY of the last 3 days", () -> customer.cdrs(new org.callibry.shared
                    .api.dto.Cdrs.SearchParams(null, null, null, today.minus(2, ChronoUnit.DAYS), null,
                    org.callibry.shared.api.dto.Cdrs.Disposition.BUSY, null, null, 0, 50)));
            time(s, "KPI report, last 7 days (5 queues)", "portal/kpi?dateFrom=" + week, "Bench queue 4");
            time(s, "queue log, first page of 50, last 7 days", "portal/queue-log?dateFrom=" + week, "Bench queue");
        }
        Files.writeString(Path.of("target", "portal-benchmark.md"), report, StandardCharsets.UTF_8);
    }

    private void time(PortalSession s, String what, String path, String expected) throws Exception {
        for (int i = 0; i < WARM_UP; i++) {
            HttpResponse<String> r = s.get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertThat(r.body()).as(path).contains(expected);
        }
        long[] us = new long[RUNS];
        int bytes = 0;
        for (int i = 0; i < RUNS; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = s.get(path);
            us[i] = (System.nanoTime() - t0) / 1_000;
            bytes = r.body().length();
        }
        Arrays.sort(us);
        line(String.format(Locale.ROOT, "| %s | %,d | %.1f ms | %.1f ms | %.1f ms |", what, bytes, us[RUNS / 2] / 1000.0,
                us[(int) Math.ceil(RUNS * 0.95) - 1] / 1000.0, us[RUNS - 1] / 1000.0));
    }

    private void timeApi(String what, Runnable call) {
        for (int i = 0; i < WARM_UP; i++) {
            call.run();
        }
        long[] us = new long[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long t0 = System.nanoTime();
            call.run();
            us[i] = (System.nanoTime() - t0) / 1_000;
        }
        Arrays.sort(us);
        line(String.format(Locale.ROOT, "| %s | | %.1f ms | %.1f ms | %.1f ms |", what, us[RUNS / 2] / 1000.0,
                us[(int) Math.ceil(RUNS * 0.95) - 1] / 1000.0, us[RUNS - 1] / 1000.0));
    }

    private void line(String s) {
        System.out.println(s);
        report.append(s).append('\n');
    }
}

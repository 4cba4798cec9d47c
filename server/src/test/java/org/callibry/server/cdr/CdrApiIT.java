package org.callibry.server.cdr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.callibry.server.api.ApiTestSupport;
import org.callibry.server.calls.CallEnded;
import org.callibry.server.calls.CallEnded.Disposition;
import org.callibry.shared.api.ErrorCodes;
import org.callibry.shared.api.client.CallibryClient;
import org.callibry.shared.api.client.RpcErrorException;
import org.callibry.shared.api.dto.Cdrs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import tools.jackson.databind.JsonNode;

/**
 * Call detail records through the real server and the typed client, fed by {@link CallEnded}
 * events published in the application context as the SIP proxy publishes them:
 * <ul>
 * <li>a published call becomes searchable with every field; empty params give the newest calls first;</li>
 * <li>filters (A/B-number prefix, substring, exact; time range; disposition; route; tenant) and their combination;</li>
 * <li>paging with offset/limit, stable when calls share a start time;</li>
 * <li>tenant isolation: customers and bound supervisors see their tenant only, naming another is -32003,
 *     operators may not search; the CSV export is scoped the same way;</li>
 * <li>the CSV export: header, RFC 4180 quoting, formula guard, content type, authentication;</li>
 * <li>invalid params refused with the field named.</li>
 * </ul>
 * Each test uses numbers under its own random prefix, so the records of other tests do not interfere.
 */
class CdrApiIT extends ApiTestSupport {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final Instant T0 = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);

    @Autowired
    ApplicationEventPublisher events;

    @TempDir
    Path tmp;

    /** A number prefix no other test uses. */
    private static String prefix() {
        return "9" + (1_000_000 + ThreadLocalRandom.current().nextInt(9_000_000));
    }

    private void publish(String callId, String a, String b, Long tenant, Instant started, Disposition d, String route,
                         String reason) {
        boolean answered = d == Disposition.ANSWERED;
        events.publishEvent(new CallEnded(callId, a, b, a, "+1" + b, "192.0.2.10:5060", "sip:" + b + "@192.0.2.20:5060",
                route, tenant, started, answered ? started.plusSeconds(4) : null, started.plusSeconds(64), d,
                switch (d) {
                    case ANSWERED -> 200;
                    case BUSY -> 486;
                    case NO_ANSWER -> 480;
                    case CANCELLED -> 487;
                    case FAILED -> 503;
                }, reason));
    }

    private static <T> T await(Supplier<T> query, Predicate<T> done) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        T value = query.get();
        while (!done.test(value)) {
            assertThat(System.nanoTime()).as("within %s, got %s", TIMEOUT, value).isLessThan(deadline);
            Thread.sleep(50);
            value = query.get();
        }
        return value;
    }

    private static Cdrs.SearchParams search(Cdrs.Filter filter) {
        return Cdrs.SearchParams.of(filter, null, null);
    }

    private static Cdrs.Filter from(String from) {
        return new Cdrs.Filter(from, null, null, null, null, null, null, null);
    }

    private static List<String> callIds(Cdrs.SearchResult page) {
        return page.items().stream().map(Cdrs.Cdr::callId).toList();
    }

    private static void assertCode(ThrowingCallable call, int code, String field) {
        assertThatThrownBy(call).isInstanceOfSatisfying(RpcErrorException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            if (field != null) {
                assertThat(e.field()).isEqualTo(field);
            }
        });
    }

    @Test
    void aPublishedCallBecomesSearchableWithEveryField() throws Exception {
        String p = prefix();
        CallibryClient admin = admin();
        publish(p + "-answered", p + "1001", p + "2002", 900_001L, T0, Disposition.ANSWERED, "Local", "BYE from callee");
        Cdrs.SearchResult page = await(() -> admin.cdrs(search(from(p))), r -> r.total() == 1);
        Cdrs.Cdr c = page.items().getFirst();
        assertThat(c.id()).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(c.callId()).isEqualTo(p + "-answered");
        assertThat(c.aNumber()).isEqualTo(p + "1001");
        assertThat(c.bNumber()).isEqualTo(p + "2002");
        assertThat(c.aNumberRouted()).isEqualTo(p + "1001");
        assertThat(c.bNumberRouted()).isEqualTo("+1" + p + "2002");
        assertThat(c.source()).isEqualTo("192.0.2.10:5060");
        assertThat(c.destination()).isEqualTo("sip:" + p + "2002@192.0.2.20:5060");
        assertThat(c.routeName()).isEqualTo("Local");
        assertThat(c.tenantId()).isEqualTo(900_001L);
        assertThat(c.startedAt()).isEqualTo(T0);
        assertThat(c.answeredAt()).isEqualTo(T0.plusSeconds(4));
        assertThat(c.endedAt()).isEqualTo(T0.plusSeconds(64));
        assertThat(c.durationMs()).isEqualTo(60_000);
        assertThat(c.disposition()).isEqualTo(Cdrs.Disposition.ANSWERED);
        assertThat(c.sipCode()).isEqualTo(200);
        assertThat(c.reason()).isEqualTo("BYE from callee");
        assertThat(c.createdAt()).isAfter(T0);

        JsonNode raw = admin.call("cdr.search", Map.of("from", p), JsonNode.class);
        assertThat(raw.get("items").get(0).has("aNumber")).as("JSON names as documented").isTrue();
        assertThat(raw.get("items").get(0).get("durationMs").asLong()).isEqualTo(60_000);
        assertThat(raw.get("total").asLong()).isEqualTo(1);
        assertThat(raw.get("totalExact").asBoolean()).isTrue();
    }

    @Test
    void emptyParamsGiveTheFirstPageOfTheNewestCalls() throws Exception {
        String p = prefix();
        CallibryClient admin = admin();
        // newer than anything another test publishes
        Instant newest = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MILLIS);
        publish(p + "-newest", p + "1", p + "2", null, newest, Disposition.CANCELLED, null, "CANCEL from caller");
        Cdrs.SearchResult page = await(admin::cdrs, r -> !r.items().isEmpty() && r.items().getFirst().callId().equals(p + "-newest"));
        assertThat(page.offset()).isZero();
        assertThat(page.limit()).isEqualTo(50);
        assertThat(page.total()).isPositive();
        assertThat(page.items()).hasSizeLessThanOrEqualTo(50);
        assertThat(page.items()).extracting(Cdrs.Cdr::startedAt).isSortedAccordingTo((x, y) -> y.compareTo(x));
        Cdrs.Cdr c = page.items().getFirst();
        assertThat(c.durationMs()).as("not answered").isZero();
        assertThat(c.answeredAt()).isNull();
        assertThat(c.tenantId()).isNull();
        assertThat(c.routeName()).isNull();
    }

    @Test
    void filtersCombine() throws Exception {
        String p = prefix();
        CallibryClient admin = admin();
        long tenantA = 900_101L;
        long tenantB = 900_102L;
        publish("k1", p + "1001", p + "5001", tenantA, T0, Disposition.ANSWERED, "Main", "BYE");
        publish("k2", p + "1002", p + "5002", tenantA, T0.plusSeconds(60), Disposition.BUSY, "Backup", "486 Busy Here");
        publish("k3", p + "2001", p + "5001", tenantB, T0.plusSeconds(120), Disposition.NO_ANSWER, "main", "480");
        publish("k4", "x" + p + "1001", p + "5003", null, T0.plusSeconds(180), Disposition.FAILED, null, "no route");
        await(() -> admin.cdrs(search(new Cdrs.Filter(p, null, Cdrs.Match.SUBSTRING, null, null, null, null, null))),
                r -> r.total() == 4);

        assertThat(callIds(admin.cdrs(search(from(p + "100"))))).containsExactly("k2", "k1");
        assertThat(callIds(admin.cdrs(search(new Cdrs.Filter(p + "1001", null, Cdrs.Match.SUBSTRING, null, null, null, null, null)))))
                .containsExactly("k4", "k1");
        assertThat(callIds(admin.cdrs(search(new Cdrs.Filter(p + "1001", null, Cdrs.Match.EXACT, null, null, null, null, null)))))
                .containsExactly("k1");
        assertThat(callIds(admin.cdrs(search(new Cdrs.Filter(null, p + "5001", null, null, null, null, null, null)))))
                .containsExactly("k3", "k1");
        assertThat(callIds(admin.cdrs(search(new Cdrs.Filter(p, null, null, null, null, Cdrs.Disposition.BUSY, null, null)))))
                .containsExactly("k2");
        assertThat(callIds(admin.cdrs(search(new Cdrs.Filter(p, null, null, null, null, null, "MAIN", null)))))
                .as("route names case-insensitive").containsExactly("k3", "k1");
        assertThat(callIds(admin.cdrs(search(new Cdrs.Filter(p, null, Cdrs.Match.SUBSTRING, T0.plusSeconds(60), T0.plusSeconds(180),
                null, null, null))))).as("from inclusive, to exclusive").containsExactly("k3", "k2");
        assertThat(callIds(admin.cdrs(search(new Cdrs.Filter(p, null, null, null, null, null, null, tenantA)))))
                .containsExactly("k2", "k1");
        assertThat(callIds(admin.cdrs(search(new Cdrs.Filter(p + "1", p + "5001", null, T0, null, Cdrs.Disposition.ANSWERED, "main",
                tenantA))))).containsExactly("k1");
        assertThat(admin.cdrs(search(new Cdrs.Filter(p + "1", p + "5002", null, null, null, Cdrs.Disposition.ANSWERED, null, null)))
                .total()).isZero();
    }

    @Test
    void pagesWithOffsetAndLimit() throws Exception {
        String p = prefix();
        CallibryClient admin = admin();
        for (int i = 0; i < 7; i++) {
            // two calls share each start time: the id keeps the order, so pages neither overlap nor skip
            publish("c" + i, p + i, "1000", null, T0.plusSeconds(i / 2), Disposition.ANSWERED, null, "BYE");
        }
        Cdrs.Filter f = from(p);
        Cdrs.SearchResult all = await(() -> admin.cdrs(Cdrs.SearchParams.of(f, 0, 50)), r -> r.total() == 7);
        Cdrs.SearchResult first = admin.cdrs(Cdrs.SearchParams.of(f, 0, 3));
        Cdrs.SearchResult second = admin.cdrs(Cdrs.SearchParams.of(f, 3, 3));
        Cdrs.SearchResult last = admin.cdrs(Cdrs.SearchParams.of(f, 6, 3));
        assertThat(first.total()).isEqualTo(7);
        assertThat(first.offset()).isZero();
        assertThat(first.limit()).isEqualTo(3);
        assertThat(last.total()).isEqualTo(7);
        List<String> pages = new ArrayList<>();
        pages.addAll(callIds(first));
        pages.addAll(callIds(second));
        pages.addAll(callIds(last));
        assertThat(pages).containsExactlyElementsOf(callIds(all));
        assertThat(callIds(last)).hasSize(1);
        assertThat(pages.getFirst()).isEqualTo("c6");
        assertThat(pages.getLast()).isIn("c0", "c1");
        assertThat(admin.cdrs(Cdrs.SearchParams.of(f, 7, 3)).items()).isEmpty();
    }

    @Test
    void eachTenantSeesOnlyItsOwnCalls() throws Exception {
        Fixture a = fixture();
        Fixture b = fixture();
        String p = prefix();
        publish("a1", p + "1", "1", a.tenant().id(), T0, Disposition.ANSWERED, null, "BYE");
        publish("a2", p + "2", "2", a.tenant().id(), T0.plusSeconds(1), Disposition.BUSY, null, "486");
        publish("b1", p + "3", "3", b.tenant().id(), T0.plusSeconds(2), Disposition.ANSWERED, null, "BYE");
        publish("n1", p + "4", "4", null, T0.plusSeconds(3), Disposition.FAILED, null, "from a peer, no tenant");
        CallibryClient admin = admin();
        await(() -> admin.cdrs(search(from(p))), r -> r.total() == 4);

        CallibryClient customerA = as(a.customer());
        assertThat(callIds(customerA.cdrs(search(from(p))))).containsExactly("a2", "a1");
        assertThat(callIds(customerA.cdrs(search(new Cdrs.Filter(p, null, null, null, null, null, null, a.tenant().id())))))
                .containsExactly("a2", "a1");
        assertThat(customerA.cdrs().items()).extracting(Cdrs.Cdr::tenantId).containsOnly(a.tenant().id());
        assertCode(() -> customerA.cdrs(search(new Cdrs.Filter(p, null, null, null, null, null, null, b.tenant().id()))),
                ErrorCodes.FORBIDDEN, "tenantId");
        assertThat(callIds(as(a.supervisor()).cdrs(search(from(p))))).containsExactly("a2", "a1");
        assertThat(callIds(as(b.customer()).cdrs(search(from(p))))).containsExactly("b1");
        assertCode(() -> as(a.operator()).cdrs(search(from(p))), ErrorCodes.FORBIDDEN, null);

        String csv = new String(customerA.openCdrCsv(from(p)).readAllBytes(), StandardCharsets.UTF_8);
        assertThat(parse(csv)).extracting(r -> r.get(1)).containsExactly("callId", "a2", "a1");
        assertCode(() -> customerA.openCdrCsv(new Cdrs.Filter(p, null, null, null, null, null, null, b.tenant().id())),
                ErrorCodes.FORBIDDEN, "tenantId");
        assertCode(() -> as(a.operator()).openCdrCsv(from(p)), ErrorCodes.FORBIDDEN, null);
    }

    @Test
    void csvExportHasAHeaderAndQuotesPerRfc4180() throws Exception {
        String p = prefix();
        CallibryClient admin = admin();
        String reason = "BYE, \"really\"\r\nsecond line";
        publish("q1", p + "1", "=HYPERLINK(\"http://x\")", 900_201L, T0, Disposition.ANSWERED, "a,b", reason);
        publish("q2", p + "2", "+74951234567", null, T0.plusSeconds(1), Disposition.BUSY, null, "486 Busy Here");
        await(() -> admin.cdrs(search(from(p))), r -> r.total() == 2);

        Path file = tmp.resolve("cdr.csv");
        long size = admin.downloadCdrCsv(from(p), file);
        String csv = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(size).isEqualTo(Files.size(file));
        assertThat(csv).startsWith("id,callId,aNumber,bNumber,aNumberRouted,bNumberRouted,source,destination,routeName,tenantId,"
                + "startedAt,answeredAt,endedAt,durationMs,disposition,sipCode,reason,createdAt\r\n");
        assertThat(csv).endsWith("\r\n").contains("\"BYE, \"\"really\"\"\r\nsecond line\"", ",\"a,b\",");

        List<List<String>> rows = parse(csv);
        assertThat(rows).hasSize(3);
        List<String> q2 = rows.get(1);
        List<String> q1 = rows.get(2);
        assertThat(q2.get(1)).isEqualTo("q2");
        assertThat(q2.get(3)).as("a phone number stays a number").isEqualTo("+74951234567");
        assertThat(q2.get(9)).as("no tenant: empty field").isEmpty();
        assertThat(q2.get(11)).isEmpty();
        assertThat(q1.get(1)).isEqualTo("q1");
        assertThat(q1.get(3)).as("a formula is defused").isEqualTo("'=HYPERLINK(\"http://x\")");
        assertThat(q1.get(8)).isEqualTo("a,b");
        assertThat(q1.get(9)).isEqualTo("900201");
        assertThat(q1.get(10)).isEqualTo(T0.toString());
        assertThat(q1.get(13)).isEqualTo("60000");
        assertThat(q1.get(14)).isEqualTo("ANSWERED");
        assertThat(q1.get(15)).isEqualTo("200");
        assertThat(q1.get(16)).isEqualTo(reason);
        assertThat(rows).allSatisfy(r -> assertThat(r).hasSize(18));

        HttpResponse<String> raw = get("api/cdr.csv?from=" + p + "&disposition=busy", admin.token());
        assertThat(raw.statusCode()).isEqualTo(200);
        assertThat(raw.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
        assertThat(raw.headers().firstValue("Content-Disposition")).hasValueSatisfying(t -> assertThat(t).contains("cdr.csv"));
        assertThat(parse(raw.body())).extracting(r -> r.get(1)).containsExactly("callId", "q2");
        try (InputStream none = admin.openCdrCsv(new Cdrs.Filter(p + "0", null, Cdrs.Match.EXACT, null, null, null, null, null))) {
            assertThat(new String(none.readAllBytes(), StandardCharsets.UTF_8)).as("only the header").hasLineCount(1);
        }
    }

    @Test
    void csvNeedsCredentialsAndKnownParameters() throws Exception {
        HttpResponse<String> anonymous = get("api/cdr.csv", null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.body()).contains("\"code\":" + ErrorCodes.UNAUTHENTICATED);
        assertCode(() -> anonymous().openCdrCsv(null), ErrorCodes.UNAUTHENTICATED, null);

        String token = admin().token();
        HttpResponse<String> unknown = get("api/cdr.csv?offset=10", token);
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("\"field\":\"offset\"");
        HttpResponse<String> badTime = get("api/cdr.csv?timeFrom=yesterday", token);
        assertThat(badTime.statusCode()).isEqualTo(400);
        assertThat(badTime.body()).contains("\"field\":\"timeFrom\"");
        HttpResponse<String> badDisposition = get("api/cdr.csv?disposition=HUNG", token);
        assertThat(badDisposition.body()).contains("\"field\":\"disposition\"");
        HttpResponse<String> tooLong = get("api/cdr.csv?from=" + "1".repeat(65), token);
        assertThat(tooLong.body()).contains("\"field\":\"from\"");

        CallibryClient basic = anonymous();
        basic.useBasic("admin", ADMIN_PASSWORD);
        try (InputStream in = basic.openCdrCsv(null)) {
            assertThat(new String(in.readNBytes(3), StandardCharsets.UTF_8)).as("HTTP Basic works too").isEqualTo("id,");
        }
    }

    @Test
    void invalidParamsAreRefusedWithTheField() {
        CallibryClient admin = admin();
        assertCode(() -> admin.cdrs(Cdrs.SearchParams.of(Cdrs.Filter.none(), 0, 501)), ErrorCodes.INVALID_PARAMS, "limit");
        assertCode(() -> admin.cdrs(Cdrs.SearchParams.of(Cdrs.Filter.none(), -1, null)), ErrorCodes.INVALID_PARAMS, "offset");
        assertCode(() -> admin.cdrs(search(new Cdrs.Filter(null, null, null, T0, T0.minusSeconds(1), null, null, null))),
                ErrorCodes.INVALID_PARAMS, "timeTo");
        assertCode(() -> admin.call("cdr.search", Map.of("timeFrom", "yesterday"), JsonNode.class), ErrorCodes.INVALID_PARAMS,
                "timeFrom");
        assertCode(() -> admin.call("cdr.search", Map.of("query", "1001"), JsonNode.class), ErrorCodes.INVALID_PARAMS, "query");
        assertCode(() -> anonymous().cdrs(), ErrorCodes.UNAUTHENTICATED, null);
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A strict RFC 4180 reader: records end with CRLF, quoted fields may hold commas, quotes ("") and line breaks. */
    static List<List<String>> parse(String csv) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int i = 0;
        boolean quoted = false;
        while (i < csv.length()) {
            char c = csv.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < csv.length() && csv.charAt(i + 1) == '"') {
                    field.append('"');
                    i += 2;
                } else if (c == '"') {
                    quoted = false;
                    i++;
                } else {
                    field.append(c);
                    i++;
                }
            } else if (c == '"' && field.isEmpty()) {
                quoted = true;
                i++;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
                i++;
            } else if (c == '\r' && i + 1 < csv.length() && csv.charAt(i + 1) == '\n') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                i += 2;
            } else {
                assertThat(c).as("bare CR, LF or quote at %d", i).isNotIn('\r', '\n', '"');
                field.append(c);
                i++;
            }
        }
        assertThat(row).as("the last record ends with CRLF").isEmpty();
        assertThat(field).isEmpty();
        return rows;
    }
}

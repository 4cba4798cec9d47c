package org.callibry.server.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.callibry.server.api.ApiTestSupport;
import org.callibry.server.calls.CallEnded;
import org.callibry.server.calls.CallEnded.Disposition;
import org.callibry.server.recording.CallRecordings;
import org.callibry.server.testing.Browser;
import org.callibry.shared.testing.FreePorts;
import org.callibry.server.testing.Sipp;
import org.callibry.shared.api.Role;
import org.callibry.shared.api.client.CallibryClient;
import org.callibry.shared.api.dto.Accounts;
import org.callibry.shared.api.dto.Cdrs;
import org.callibry.shared.api.dto.Domains;
import org.callibry.shared.api.dto.Kpis;
import org.callibry.shared.api.dto.Page;
import org.callibry.shared.api.dto.Queues;
import org.callibry.shared.api.dto.Recordings;
import org.callibry.shared.api.dto.Users;
import org.callibry.shared.api.dto.Webhooks;
import org.callibry.shared.media.G711;
import org.callibry.shared.media.Tones;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;

/**
 * The customer portal in a real browser (headless Chromium) against the real server. Scenarios:
 * <ul>
 *   <li>a wrong password is refused at the form, the right one opens the call log; an operator is refused;</li>
 *   <li>the call log filters by number and outcome, pages with the total, and plays a recording that seeks;</li>
 *   <li>a SIPp caller entering a queue appears on the open live page by itself, and a kick removes it;</li>
 *   <li>the KPI report draws its charts (Chart.js instances with data) and tables;</li>
 *   <li>a customer gets nothing of another tenant: recordings, CSV with a tenant parameter, searches;</li>
 *   <li>POSTs without the CSRF token are refused with 403;</li>
 *   <li>failed logins are throttled with the wait shown, and the language follows Accept-Language and ?lang.</li>
 * </ul>
 * With {@code PORTAL_SCREENSHOTS=<dir>} in the environment, {@link #screenshotsOfEveryPage} also copies
 * its screenshots there (docs/images for the user guide).
 */
class PortalIT extends ApiTestSupport {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    CallRecordings recorders;

    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    @TempDir
    Path tmp;

    private String url(String path) {
        return base().resolve(path).toString();
    }

    private static String prefix() {
        return "7" + (1_000_000 + ThreadLocalRandom.current().nextInt(9_000_000));
    }

    private void cdr(String callId, String a, String b, long tenant, Instant started, Disposition d, String route) {
        boolean answered = d == Disposition.ANSWERED;
        events.publishEvent(new CallEnded(callId, a, b, a, b, "192.0.2.10:5060", "sip:" + b + "@192.0.2.20:5060",
                route, tenant, started, answered ? started.plusSeconds(2) : null, started.plusSeconds(42), d,
                answered ? 200 : d == Disposition.BUSY ? 486 : 480, null));
    }

    /** Three seconds of a 440 Hz caller and a 1 kHz callee, recorded as the relay would, until it is READY. */
    private Recordings.Recording record(String callId, long tenant, String a, String b) throws Exception {
        CallRecordings.Recorder r = recorders.start(callId, tenant, a, b, false);
        long t0 = System.nanoTime();
        for (int k = 0; k < 150; k++) {
            short[] caller = new short[160];
            short[] callee = new short[160];
            Tones.add(caller, 0, 160, 440, 6000, 8000, 160L * k);
            Tones.add(callee, 0, 160, 1000, 6000, 8000, 160L * k);
            long at = t0 + (k + 1) * 20_000_000L;
            r.packet(0, at, 0, G711.encodeUlaw(caller), 0, 160);
            r.packet(1, at, 8, G711.encodeAlaw(callee), 0, 160);
        }
        r.close(null);
        CallibryClient admin = admin();
        long deadline = System.currentTimeMillis() + WAIT.toMillis();
        while (true) {
            Page<Recordings.Recording> page = admin.recordings().list(Recordings.ListParams.ofCall(callId));
            if (page.total() == 1 && page.items().getFirst().state() != Recordings.State.CONVERTING) {
                assertThat(page.items().getFirst().state()).isEqualTo(Recordings.State.READY);
                return page.items().getFirst();
            }
            assertThat(System.currentTimeMillis()).as("recording of " + callId + " ready").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private void awaitCdrs(CallibryClient client, String from, int count) throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT.toMillis();
        while (client.cdrs(new Cdrs.SearchParams(from, null, null, null, null, null, null, null, null, null)).total() < count) {
            assertThat(System.currentTimeMillis()).as(count + " CDRs from " + from).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /** The trimmed text of the first element matching {@code css} now, or null (the live panel is replaced every 2 s). */
    static String text(Browser browser, String css) {
        return (String) browser.js("var e = document.querySelector(arguments[0]); return e ? e.textContent.trim() : null;", css);
    }

    /** A real click on the element matching {@code css}, found again when the live panel replaced it meanwhile. */
    static void click(Browser browser, String css) {
        for (int attempt = 0; ; attempt++) {
            try {
                WebElement e = browser.driver().findElement(By.cssSelector(css));
                browser.js("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", e);
                e.click();
                return;
            } catch (org.openqa.selenium.StaleElementReferenceException e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    static void login(Browser browser, String base, String user, String password) {
        WebDriver d = browser.driver();
        d.get(base + "portal/login");
        d.findElement(By.id("username")).sendKeys(user);
        d.findElement(By.id("password")).sendKeys(password);
        d.findElement(By.id("login-submit")).click();
    }

    @Test
    void aWrongPasswordIsRefusedAndTheRightOneOpensTheCallLog() {
        Fixture f = fixture();
        try (Browser browser = Browser.start()) {
            WebDriver d = browser.driver();
            d.get(url("portal/calls"));
            assertThat(d.getCurrentUrl()).as("a page needs a session").endsWith("/portal/login");
            String theme = (String) browser.js("return document.documentElement.getAttribute('data-bs-theme');");
            d.findElement(By.id("theme-toggle")).click();
            String other = theme.equals("dark") ? "light" : "dark";
            assertThat(browser.js("return document.documentElement.getAttribute('data-bs-theme');")).isEqualTo(other);
            d.navigate().refresh();
            assertThat(browser.js("return document.documentElement.getAttribute('data-bs-theme');")).as("remembered").isEqualTo(other);
            login(browser, url(""), f.customer(), "not-the-password");
            assertThat(d.findElement(By.id("login-error")).getText()).isEqualTo("Wrong user name or password.");
            assertThat(d.findElements(By.id("who"))).isEmpty();

            login(browser, url(""), f.customer(), PASSWORD);
            browser.await(WAIT, "the call log", x -> x.getCurrentUrl().contains("/portal/calls"));
            assertThat(d.findElement(By.id("who")).getText()).contains(f.customer()).contains("customer");
            assertThat(d.findElement(By.tagName("h1")).getText()).isEqualTo("Call log");

            d.findElement(By.id("logout")).click();
            browser.await(WAIT, "logged out", x -> x.getCurrentUrl().contains("/portal/login?logout"));
            d.get(url("portal/calls"));
            assertThat(d.getCurrentUrl()).endsWith("/portal/login");

            login(browser, url(""), f.operator(), PASSWORD);
            assertThat(d.findElement(By.id("login-error")).getText()).contains("Operators cannot use the customer portal");
        }
    }

    @Test
    void theCallLogFiltersPagesAndPlaysARecordingThatSeeks() throws Exception {
        Fixture f = fixture();
        long tenant = f.tenant().id();
        String p = prefix();
        Instant t0 = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        for (int i = 0; i < 55; i++) {
            cdr("portal-" + p + "-" + i, p + String.format("%03d", i), "5550" + i, tenant, t0.plusSeconds(i),
                    i % 5 == 0 ? Disposition.BUSY : Disposition.ANSWERED, "portal-route");
        }
        String recordedCall = "portal-" + p + "-rec";
        cdr(recordedCall, p + "999", "5559999", tenant, t0.plusSeconds(100), Disposition.ANSWERED, "portal-route");
        awaitCdrs(admin(), p, 56);
        Recordings.Recording rec = record(recordedCall, tenant, p + "999", "5559999");

        try (Browser browser = Browser.start()) {
            WebDriver d = browser.driver();
            login(browser, url(""), f.customer(), PASSWORD);
            browser.await(WAIT, "the call log", x -> x.getCurrentUrl().contains("/portal/calls"));
            d.findElement(By.id("from")).sendKeys(p);
            d.findElement(By.id("apply")).click();
            browser.await(WAIT, "filtered", x -> x.getCurrentUrl().contains("from=" + p));
            assertThat(d.findElements(By.cssSelector("tr.call-row"))).hasSize(50);
            assertThat(d.findElement(By.id("total")).getText()).isEqualTo("56 in total");
            WebElement next = d.findElement(By.cssSelector("a[rel=next]"));
            browser.js("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", next);
            next.click();
            browser.await(WAIT, "page 2", x -> x.getCurrentUrl().contains("page=2"));
            assertThat(d.findElements(By.cssSelector("tr.call-row"))).hasSize(6);

            new Select(d.findElement(By.id("outcome"))).selectByValue("BUSY");
            d.findElement(By.id("apply")).click();
            browser.await(WAIT, "busy only", x -> x.getCurrentUrl().contains("outcome=BUSY"));
            assertThat(d.findElements(By.cssSelector("tr.call-row"))).hasSize(11)
                    .allSatisfy(r -> assertThat(r.getText()).contains("Busy"));
            assertThat(d.findElement(By.id("csv")).getAttribute("href")).contains("disposition=BUSY").contains("from=" + p);

            // a wrong date comes back at its field
            d.get(url("portal/calls?dateFrom=yesterday"));
            assertThat(d.findElement(By.id("dateFrom-error")).getText()).isEqualTo("Enter a date as YYYY-MM-DD.");

            d.get(url("portal/calls?from=" + p + "999"));
            WebElement play = d.findElement(By.cssSelector("button.play"));
            assertThat(play.getAttribute("data-src")).endsWith("/portal/recordings/" + rec.id() + ".mp3");
            play.click();
            browser.await(WAIT, "the recording plays", x -> Boolean.TRUE.equals(browser.js(
                    "var a = document.getElementById('player'); return !a.paused && a.readyState >= 2 && a.currentTime > 0;")));
            browser.js("document.getElementById('player').currentTime = 2.0;");
            browser.await(WAIT, "the player seeks", x -> Boolean.TRUE.equals(browser.js(
                    "var a = document.getElementById('player'); return !a.seeking && a.currentTime >= 1.9 && !a.paused;")));
            assertThat(((Number) browser.js("return document.getElementById('player').duration;")).doubleValue())
                    .isBetween(2.5, 3.6);
        }
    }

    @Test
    void aCallerEnteringAQueueAppearsOnTheOpenLivePageAndCanBeKicked() throws Exception {
        CallibryClient admin = admin();
        Domains.Domain demo = admin.domains().list(new Domains.ListParams(null, "demo.callibry.test", null, null)).items().getFirst();
        int n = 10_000 + ThreadLocalRandom.current().nextInt(80_000);
        Accounts.Account agent = admin.accounts().create(new Accounts.Create(demo.id(), "64" + n, "Portal agent", PASSWORD, null));
        Accounts.Account caller = admin.accounts().create(new Accounts.Create(demo.id(), "63" + n, "Portal caller", PASSWORD, null));
        Queues.Queue queue = admin.queues().create(new Queues.Create(demo.tenantId(), "62" + n, "Portal sales " + n,
                Queues.Strategy.LINEAR, List.of(new Queues.Member(agent.id(), 0)), null, null, null, null, null, null, 0, "en",
                0, 15, 20, "", null, null, null, null, null, null, null, null, null));
        String customer = unique("demo-cust");
        admin.users().create(new Users.Create(customer, PASSWORD, Role.CUSTOMER, demo.tenantId(), null, null, null));

        try (Browser browser = Browser.start();
             DatagramSocket media = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            WebDriver d = browser.driver();
            login(browser, url(""), customer, PASSWORD);
            browser.await(WAIT, "logged in", x -> x.getCurrentUrl().contains("/portal/calls"));
            d.get(url("portal/live"));
            String card = "section.queue-card[data-queue-id='" + queue.id() + "']";
            assertThat(d.findElement(By.cssSelector(card)).getText()).contains("Nobody is waiting.");
            Object marker = browser.js("window.portalMarker = 1; return window.portalMarker;");
            assertThat(marker).isEqualTo(1L);

            Path inject = Sipp.injection(tmp, "caller.csv", List.of(List.of(caller.number(), PASSWORD, queue.number())));
            try (Sipp.Running call = Sipp.start(tmp, "127.0.0.1:" + SIP_PORT, "uac-queue-wait.xml", FreePorts.udpAndTcp(),
                    "-m", "1", "-inf", inject.toString(), "-key", "caller_rtp", Integer.toString(media.getLocalPort()))) {
                String rowCss = card + " tr.waiting-row";
                browser.await(WAIT, "the waiting caller shows up without a reload",
                        x -> caller.number().equals(text(browser, rowCss + " .caller")));
                assertThat(browser.js("return window.portalMarker;")).as("the same page, not reloaded").isEqualTo(1L);
                assertThat(text(browser, card + " .waiting-count")).isEqualTo("1 waiting");
                browser.await(WAIT, "the wait time grows", x -> !"0:00".equals(text(browser, rowCss + " .wait")));

                click(browser, rowCss + " button.priority-up");
                browser.await(WAIT, "priority raised", x -> "10".equals(text(browser, rowCss + " td:nth-child(4)")));
                assertThat(admin.queueWaiting(queue.id()).getFirst().priority()).isEqualTo(10);

                browser.js("window.confirm = function () { return true; };");
                click(browser, rowCss + " button.kick");
                browser.await(WAIT, "the caller is gone", x -> Boolean.FALSE.equals(browser.js(
                        "return !!document.querySelector(arguments[0]);", rowCss)));
                Sipp.Result result = call.await(Duration.ofSeconds(30));
                assertThat(result.passed()).as("the kicked caller got the BYE: " + result.output()).isTrue();
                assertThat(admin.queueWaiting(queue.id())).isEmpty();
            }

            // the queue log is written behind, in batches: the page is read once the call is in it
            long logged = System.currentTimeMillis() + WAIT.toMillis();
            while (admin.queueKpis(new Kpis.QueueParams(java.time.Instant.now().minus(Duration.ofDays(1)),
                    java.time.Instant.now().plus(Duration.ofHours(1)), queue.id(), null)).isEmpty()) {
                assertThat(System.currentTimeMillis()).as("the kicked call in the queue's KPIs").isLessThan(logged);
                Thread.sleep(100);
            }
            // the KPI report of today has the queue's one (kicked) call, in its chart and its table
            d.get(url("portal/kpi"));
            browser.await(WAIT, "the charts are drawn", x -> Boolean.TRUE.equals(browser.js(
                    "return typeof Chart !== 'undefined' && !!Chart.getChart('chart-queue-times');")));
            Map<?, ?> chart = (Map<?, ?>) browser.js("var c = Chart.getChart('chart-queue-times');"
                    + " return {labels: c.data.labels, datasets: c.data.datasets.length, points: c.data.datasets[1].data,"
                    + " width: c.width};");
            List<String> labels = ((List<?>) chart.get("labels")).stream().map(Object::toString).toList();
            assertThat(labels).contains(queue.name());
            assertThat(((Number) chart.get("datasets")).intValue()).isEqualTo(4);
            List<?> maxWait = (List<?>) chart.get("points");
            assertThat(((Number) maxWait.get(labels.indexOf(queue.name()))).longValue()).as("max wait of the kicked caller")
                    .isGreaterThanOrEqualTo(1);
            assertThat(((Number) chart.get("width")).intValue()).isGreaterThan(100);
            assertThat(d.findElement(By.id("kpi-queues")).getText()).contains(queue.name());

            // and the queue distribution log has its row, filtered by the queue, with a CSV of the same
            d.get(url("portal/queue-log"));
            new Select(d.findElement(By.id("queue"))).selectByValue(Long.toString(queue.id()));
            d.findElement(By.id("apply")).click();
            browser.await(WAIT, "filtered by queue", x -> x.getCurrentUrl().contains("queue=" + queue.id()));
            List<WebElement> rows = d.findElements(By.cssSelector("#queue-log-table tbody tr"));
            assertThat(rows).hasSize(1);
            assertThat(rows.getFirst().getText()).contains(queue.name()).contains(caller.number()).contains("removed");
            assertThat(d.findElement(By.id("total")).getText()).isEqualTo("1 in total");
            String csv = d.findElement(By.id("csv")).getAttribute("href");
            assertThat(csv).contains("queueId=" + queue.id());
        }
    }

    @Test
    void theKpiReportDrawsItsChartsAndRefusesAReversedRange() throws Exception {
        Fixture f = fixture();
        CallibryClient admin = admin();
        Queues.Queue queue = admin.queues().create(new Queues.Create(f.tenant().id(), "61" + ThreadLocalRandom.current().nextInt(100_000),
                "KPI queue", Queues.Strategy.LINEAR, List.of(new Queues.Member(f.account().id(), 0)), null, null, null, null, null,
                null, 0, "en", 0, 15, 20, "", null, null, null, null, null, null, null, null, null));
        try (Browser browser = Browser.start()) {
            WebDriver d = browser.driver();
            login(browser, url(""), f.customer(), PASSWORD);
            browser.await(WAIT, "logged in", x -> x.getCurrentUrl().contains("/portal/calls"));
            d.get(url("portal/kpi"));
            browser.await(WAIT, "the charts are drawn", x -> Boolean.TRUE.equals(browser.js(
                    "return typeof Chart !== 'undefined' && !!Chart.getChart('chart-queue-times') && !!Chart.getChart('chart-agents');")));
            assertThat(((Number) browser.js("return Chart.getChart('chart-queue-times').data.datasets.length;")).intValue())
                    .as("avg/max wait and talk").isEqualTo(4);
            assertThat(((Number) browser.js("return Chart.getChart('chart-agents').width;")).intValue()).isGreaterThan(100);
            assertThat(d.findElement(By.id("kpi-queues")).getText()).doesNotContain(queue.name())
                    .as("a queue without calls in the range has no row").contains("Nothing found.");
            d.get(url("portal/kpi?dateFrom=2026-02-10&dateTo=2026-02-01"));
            assertThat(d.findElements(By.id("dateTo-error"))).as(d.getPageSource()).isNotEmpty();
            assertThat(d.findElement(By.id("dateTo-error")).getText()).isEqualTo("The end date must not be before the start date.");
        }
    }

    @Test
    void aCustomerGetsNothingOfAnotherTenant() throws Exception {
        Fixture mine = fixture();
        Fixture theirs = fixture();
        String p = prefix();
        String call = "portal-" + p + "-theirs";
        cdr(call, p + "1", "5551", theirs.tenant().id(), Instant.now().minusSeconds(600), Disposition.ANSWERED, "theirs");
        awaitCdrs(admin(), p, 1);
        Recordings.Recording rec = record(call, theirs.tenant().id(), p + "1", "5551");

        try (PortalSession s = new PortalSession(base())) {
            assertThat(s.login(mine.customer(), PASSWORD).headers().firstValue("Location").orElse("")).endsWith("/portal/");
            HttpResponse<byte[]> audio = s.bytes("portal/recordings/" + rec.id() + ".mp3", "Range", "bytes=0-99");
            assertThat(audio.statusCode()).isEqualTo(404);
            assertThat(new String(audio.body())).doesNotContain("ID3");
            HttpResponse<String> csv = s.get("portal/calls.csv?tenantId=" + theirs.tenant().id());
            assertThat(csv.statusCode()).isEqualTo(403);
            assertThat(csv.body()).doesNotContain(p);
            HttpResponse<String> own = s.get("portal/calls.csv?from=" + p);
            assertThat(own.statusCode()).isEqualTo(200);
            assertThat(own.body().lines().count()).as("the header only: " + own.body()).isEqualTo(1);
            HttpResponse<String> page = s.get("portal/calls?from=" + p);
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("Nothing found.").doesNotContain(p + "1");
            HttpResponse<String> log = s.get("portal/queue-log.csv?timeFrom=2026-01-01T00:00:00Z&timeTo=2027-01-01T00:00:00Z&tenantId="
                    + theirs.tenant().id());
            assertThat(log.statusCode()).isEqualTo(403);
        }
        try (PortalSession s = new PortalSession(base())) {
            s.login(theirs.customer(), PASSWORD);
            HttpResponse<byte[]> audio = s.bytes("portal/recordings/" + rec.id() + ".mp3", "Range", "bytes=0-99");
            assertThat(audio.statusCode()).as("the owner's customer plays it, by range").isEqualTo(206);
            assertThat(audio.body()).hasSize(100);
            assertThat(audio.headers().firstValue("Content-Range").orElse("")).startsWith("bytes 0-99/");
        }
    }

    @Test
    void postsWithoutTheCsrfTokenAreRefused() throws Exception {
        Fixture f = fixture();
        try (PortalSession s = new PortalSession(base())) {
            assertThat(s.post("portal/login", "username=" + f.customer() + "&password=" + PASSWORD).statusCode())
                    .as("a login without the token").isEqualTo(403);
            s.login(f.customer(), PASSWORD);
            assertThat(s.csrfToken()).isNotBlank();
            assertThat(s.post("portal/live/kick", "id=x").statusCode()).isEqualTo(403);
            assertThat(s.post("portal/live/kick", "id=x", "X-CSRF-TOKEN", "forged").statusCode()).isEqualTo(403);
            assertThat(s.post("portal/logout", "").statusCode()).as("not even a logout").isEqualTo(403);
            HttpResponse<String> withToken = s.post("portal/live/kick", "id=x", "X-CSRF-TOKEN", s.csrfToken(), "HX-Request", "true");
            assertThat(withToken.statusCode()).isEqualTo(200);
            assertThat(withToken.body()).contains("id=\"live-panel\"").contains("alert-danger");
        }
    }

    @Test
    void aSupervisorSetsAnAgentsStatusAndACustomerMayNot() throws Exception {
        Fixture f = fixture();
        CallibryClient admin = admin();
        try (PortalSession s = new PortalSession(base())) {
            s.login(f.supervisor(), PASSWORD);
            HttpResponse<String> r = s.post("portal/live/agent", "accountId=" + f.account().id() + "&status=PAUSED",
                    "X-CSRF-TOKEN", s.csrfToken(), "HX-Request", "true");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("Agent status changed.").contains("data-account-id=\"" + f.account().id() + "\"");
            assertThat(admin.agentStatus(f.account().id()).status()).isEqualTo(org.callibry.shared.api.dto.Agents.Status.PAUSED);
        }
        try (PortalSession s = new PortalSession(base())) {
            s.login(f.customer(), PASSWORD);
            HttpResponse<String> r = s.post("portal/live/agent", "accountId=" + f.account().id() + "&status=FREE",
                    "X-CSRF-TOKEN", s.csrfToken(), "HX-Request", "true");
            assertThat(r.body()).contains("alert-danger").contains("role CUSTOMER may not call agent.setStatus")
                    .doesNotContain("agents-table");
            assertThat(admin.agentStatus(f.account().id()).status()).isEqualTo(org.callibry.shared.api.dto.Agents.Status.PAUSED);
        }
    }

    @Test
    void failedLoginsAreThrottledAndTheLanguageFollowsTheBrowserOrTheSwitch() throws Exception {
        Fixture f = fixture();
        try (PortalSession s = new PortalSession(base())) {
            for (int i = 0; i < 5; i++) {
                assertThat(s.login(f.supervisor(), "wrong-" + i).headers().firstValue("Location").orElse("")).endsWith("error=bad");
            }
            String refused = s.login(f.supervisor(), PASSWORD).headers().firstValue("Location").orElseThrow();
            assertThat(refused).contains("error=throttled").containsPattern("wait=\\d+");
            String page = s.get(refused.substring(refused.indexOf("portal/login"))).body();
            assertThat(page).containsPattern("Too many failed logins for this user or address. Try again in \\d+ s.");
        }
        try (PortalSession s = new PortalSession(base())) {
            assertThat(s.get("portal/login", "Accept-Language", "ru-RU,ru;q=0.9").body()).contains("Клиентский портал").contains("lang=\"ru\"");
            assertThat(s.get("portal/login", "Accept-Language", "de-DE").body()).contains("Customer portal");
            HttpResponse<String> en = s.get("portal/login?lang=en", "Accept-Language", "ru");
            assertThat(en.body()).contains("Customer portal");
            assertThat(en.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c).startsWith("lang=en"));
            assertThat(s.get("portal/login", "Accept-Language", "ru").body()).as("the cookie wins").contains("Customer portal");
            assertThat(s.get("portal/login?lang=ru").body()).contains("Войти");
            HttpResponse<String> login = s.login(f.customer(), PASSWORD);
            assertThat(login.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c)
                    .startsWith("JSESSIONID=").containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Lax"));
            assertThat(s.get("portal/calls").body()).contains("Журнал звонков");
        }
    }

    /** Every page, light and dark, at 1280x900 (and the call log at 768 px wide) into target/ and PORTAL_SCREENSHOTS. */
    @Test
    void screenshotsOfEveryPage() throws Exception {
        CallibryClient admin = admin();
        Domains.Domain demo = admin.domains().list(new Domains.ListParams(null, "demo.callibry.test", null, null)).items().getFirst();
        String supervisor = unique("demo-sup");
        admin.users().create(new Users.Create(supervisor, PASSWORD, Role.SUPERVISOR, demo.tenantId(), null, null, null));
        // a CRM that takes the call events, and one that is down, for the webhook delivery log
        com.sun.net.httpserver.HttpServer crm = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        crm.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(exchange.getRequestURI().getPath().startsWith("/down") ? 503 : 204, -1);
            exchange.close();
        });
        crm.start();
        String crmBase = "http://127.0.0.1:" + crm.getAddress().getPort();
        admin.call("webhook.create", new Webhooks.Create(demo.tenantId(), crmBase + "/callibry", List.of("call.ended"), null, true),
                Webhooks.Webhook.class);
        Webhooks.Webhook down = admin.call("webhook.create", new Webhooks.Create(demo.tenantId(), crmBase + "/down",
                List.of("call.ended"), null, true), Webhooks.Webhook.class);
        String p = prefix();
        Instant t0 = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        String[] routes = {"local", "gateway-eu", "mobile"};
        Disposition[] outcomes = {Disposition.ANSWERED, Disposition.ANSWERED, Disposition.ANSWERED, Disposition.BUSY, Disposition.NO_ANSWER};
        for (int i = 0; i < 24; i++) {
            cdr("shot-" + p + "-" + i, "+4930" + p.substring(1) + i, "2" + (100 + i % 7), demo.tenantId(), t0.plusSeconds(i * 397L),
                    outcomes[i % outcomes.length], routes[i % routes.length]);
        }
        awaitCdrs(admin, "+4930" + p.substring(1), 24);
        record("shot-" + p + "-22", demo.tenantId(), "+4930" + p.substring(1) + 22, "2101");
        // queue calls of the last hours (newer than the KPI rollups' day of lag, so the report reads them from the log)
        List<Queues.Queue> demoQueues = admin.queues().list(new Queues.ListParams(demo.tenantId())).items();
        List<Long> members = demoQueues.stream().flatMap(q -> q.members().stream()).map(Queues.Member::accountId).distinct().toList();
        PortalData.queueCalls(jdbc, demo.tenantId(), demoQueues.stream().map(Queues.Queue::id).toList(), members, 60,
                Instant.now().minus(5, ChronoUnit.HOURS), Instant.now().minus(10, ChronoUnit.MINUTES));
        // queue.calls pages in SQL: the first 10 of the 60, in the order they entered, and the total
        Page<?> calls = admin.call(org.callibry.shared.api.Methods.QUEUE_CALLS, new org.callibry.shared.api.dto.QueueLogs.CallsParams(
                Instant.now().minus(6, ChronoUnit.HOURS), Instant.now(), null, demo.tenantId(), 10, 10), Page.class);
        assertThat(calls.total()).isGreaterThanOrEqualTo(60);
        assertThat(calls.items()).hasSize(10);
        long until = System.currentTimeMillis() + WAIT.toMillis();
        while (admin.call(org.callibry.shared.api.Methods.WEBHOOK_DELIVERIES, new Webhooks.DeliveriesParams(down.id(), null, null,
                0, 100), org.callibry.shared.api.dto.Page.class).total() < 24 && System.currentTimeMillis() < until) {
            Thread.sleep(200);
        }
        Thread.sleep(1500); // a few retries of the failing one
        // a caller waiting in the demo's first queue while the live page is shot
        Queues.Queue sales = demoQueues.getFirst();
        Accounts.Account waiting = admin.accounts().create(new Accounts.Create(demo.id(), "66" + (10_000 + ThreadLocalRandom.current()
                .nextInt(80_000)), "Waiting caller", PASSWORD, null));
        DatagramSocket media = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        Sipp.Running waitingCall = Sipp.start(tmp, "127.0.0.1:" + SIP_PORT, "uac-queue-wait.xml", FreePorts.udpAndTcp(), "-m", "1",
                "-inf", Sipp.injection(tmp, "waiting.csv", List.of(List.of(waiting.number(), PASSWORD, sales.number()))).toString(),
                "-key", "caller_rtp", Integer.toString(media.getLocalPort()));
        long waitUntil = System.currentTimeMillis() + WAIT.toMillis();
        while (admin.queueWaiting(sales.id()).isEmpty()) {
            assertThat(System.currentTimeMillis()).as("the caller waits in " + sales.name()).isLessThan(waitUntil);
            Thread.sleep(100);
        }
        Thread.sleep(2000);
        Path out = Path.of("target", "portal-screenshots");
        String copyTo = System.getenv("PORTAL_SCREENSHOTS");
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("login", "portal/login");
        pages.put("calls", "portal/calls");
        pages.put("queue-log", "portal/queue-log?dateFrom=" + LocalDate.now(ZoneOffset.UTC).minusDays(30));
        pages.put("live", "portal/live");
        pages.put("kpi", "portal/kpi?dateFrom=" + LocalDate.now(ZoneOffset.UTC).minusDays(30));
        pages.put("webhooks", "portal/webhooks");
        for (String theme : List.of("light", "dark")) {
            try (Browser browser = Browser.start()) {
                WebDriver d = browser.driver();
                d.get(url("portal/login"));
                browser.js("localStorage.setItem('portal-theme', arguments[0]);", theme);
                for (Map.Entry<String, String> e : pages.entrySet()) {
                    if (e.getKey().equals("calls")) {
                        login(browser, url(""), supervisor, PASSWORD);
                        browser.await(WAIT, "logged in", x -> x.getCurrentUrl().contains("/portal/calls"));
                    }
                    d.get(url(e.getValue()));
                    assertThat(browser.js("return document.documentElement.getAttribute('data-bs-theme');")).isEqualTo(theme);
                    if (e.getKey().equals("webhooks")) {
                        assertThat(d.findElement(By.id("webhooks-table")).getText()).contains("delivered").contains("HTTP 503");
                    }
                    if (e.getKey().equals("kpi")) {
                        browser.await(WAIT, "charts", x -> Boolean.TRUE.equals(browser.js("return !!(window.Chart && Chart.getChart('chart-agents'));")));
                    }
                    Thread.sleep(300);
                    Path file = out.resolve("portal-" + e.getKey() + "-" + theme + ".png");
                    browser.screenshot(file);
                    assertThat(Files.size(file)).isGreaterThan(5_000);
                }
            }
        }
        try (Browser narrow = Browser.start(768, 900)) {
            login(narrow, url(""), supervisor, PASSWORD);
            narrow.await(WAIT, "logged in", x -> x.getCurrentUrl().contains("/portal/calls"));
            assertThat(((Number) narrow.js("return document.documentElement.scrollWidth;")).intValue())
                    .as("no horizontal scrolling of the page at 768 px").isLessThanOrEqualTo(768);
            narrow.screenshot(out.resolve("portal-calls-768.png"));
        }
        for (Queues.Waiting w : admin.queueWaiting(sales.id())) {
            admin.call(org.callibry.shared.api.Methods.QUEUE_KICK, new Queues.Kick(w.id(), null), Void.class);
        }
        waitingCall.await(Duration.ofSeconds(20));
        waitingCall.close();
        media.close();
        crm.stop(0);
        if (copyTo != null && !copyTo.isBlank()) {
            Path target = Path.of(copyTo);
            Files.createDirectories(target);
            try (var files = Files.list(out)) {
                for (Path file : files.toList()) {
                    Files.copy(file, target.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}

package org.callibry.server.dialer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.callibry.shared.api.Methods;
import org.callibry.shared.api.dto.Campaigns;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Campaigns dialling real SIP gateways (SIPp) through the proxy's routes. Scenarios:
 * <ul>
 *   <li>50 numbers at most 10 at once: 30 answer and hear the message, 10 are busy, 10 never answer
 *       (cancelled after the 15 s ring timeout); busy numbers are retried once 5 minutes later and no-answer
 *       numbers once 10 minutes later (on the dialer's clock); the upload reports the malformed line, the
 *       duplicate and the do-not-call number by line; a number put on the do-not-call list while its call
 *       rings is not tried again; the results CSV has one row per number;</li>
 *   <li>two campaigns at once on a node limited to 4 channels: together never more than 4 calls, and
 *       both dial at the same time;</li>
 *   <li>the schedule window: nothing is dialled before it opens, calls start when the clock reaches it;</li>
 *   <li>the tenant's holidays: with a holiday calendar (the IVR module's {@code holiday.*}), a schedule that
 *       obeys holidays calls nobody on one and starts the next day; without one, such a schedule is refused;</li>
 *   <li>the load pause: nothing is dialled while the load average is above the threshold, and dialling
 *       resumes by itself when it falls;</li>
 *   <li>a restart of the dialer in the middle of a campaign: the calls in the air are recorded as
 *       INTERRUPTED and tried again by the retry policy, an attempt left open by a crash too, and nobody
 *       gets a second call for one attempt;</li>
 *   <li>the demo campaign exists, not started, and its numbers reach the demo gateway 127.0.0.1:5080
 *       through the demo long-distance route with its caller ID.</li>
 * </ul>
 */
class DialerIT extends DialerTestSupport {

    static final Campaigns.Schedule ALWAYS = new Campaigns.Schedule(List.of(), null, null, null, false);

    @Test
    void fiftyNumbersTenAtOnceWithRetries() throws Exception {
        gateway('1', "uas.xml");
        gateway('2', "uas-busy.xml");
        gateway('3', "uas-ring.xml");
        long audio = audio(1);
        Campaigns.RetryPolicy retry = new Campaigns.RetryPolicy(new Campaigns.Retry(1, 5), new Campaigns.Retry(1, 10),
                new Campaigns.Retry(0, 30));
        Campaigns.Campaign c = create(play("Reminder", audio, 10, retry, ALWAYS));
        assertThat(c.status()).isEqualTo(Campaigns.Status.DRAFT);
        assertThat(c.ringTimeoutSeconds()).isEqualTo(15);

        String dncNumber = number('1', 999);
        admin.call(Methods.DNC_ADD, new Campaigns.DncAdd(tenantId, List.of(dncNumber), "asked not to be called"), JsonNode.class);
        StringBuilder csv = new StringBuilder("number,name,balance\r\n");
        List<String> answering = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            answering.add(number('1', i));
        }
        List<String> busy = new ArrayList<>();
        List<String> silent = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            busy.add(number('2', i));
            silent.add(number('3', i));
        }
        List<String> all = new ArrayList<>(answering);
        all.addAll(busy);
        all.addAll(silent);
        for (String n : all) {
            csv.append(n).append(",Customer ").append(n).append(",").append(n.length()).append("\r\n");
        }
        csv.append("not-a-number,Nobody,0\r\n");                     // line 52
        csv.append(all.getFirst()).append(",Again,1\r\n");           // line 53
        csv.append(dncNumber).append(",Opted out,2\r\n");            // line 54
        Campaigns.Upload up = numbers(c.id(), csv.toString());
        assertThat(up.lines()).isEqualTo(53);
        assertThat(up.added()).isEqualTo(50);
        assertThat(up.malformed()).isEqualTo(1);
        assertThat(up.duplicates()).isEqualTo(1);
        assertThat(up.dnc()).isEqualTo(1);
        assertThat(up.problems()).extracting(Campaigns.Problem::line).containsExactly(52, 53, 54);
        assertThat(up.problems().get(2).reason()).isEqualTo("on the do-not-call list");

        control(Methods.CAMPAIGN_START, c.id());
        AtomicInteger most = new AtomicInteger();
        await(() -> get(c.id()).progress().dialled() == 50, "every number dialled once", 60);
        // put on the do-not-call list while its call rings: it is not tried again
        admin.call(Methods.DNC_ADD, new Campaigns.DncAdd(tenantId, List.of(silent.getFirst()), "asked while ringing"), JsonNode.class);
        await(() -> {
            Campaigns.Campaign now = get(c.id());
            most.accumulateAndGet(now.progress().inFlight(), Math::max);
            return now.progress().dialled() == 50 && now.progress().inFlight() == 0;
        }, "the first 50 attempts end", 120);
        Campaigns.Campaign first = get(c.id());
        assertThat(most.get()).as("calls at once").isBetween(2, 10);
        assertThat(first.progress().answered()).isEqualTo(30);
        assertThat(first.progress().busy()).isEqualTo(10);
        assertThat(first.progress().noAnswer()).isEqualTo(10);
        assertThat(first.progress().remaining()).as("busy and silent numbers wait for their retry").isEqualTo(19);
        assertThat(first.progress().dnc()).isEqualTo(1);
        assertThat(first.status()).isEqualTo(Campaigns.Status.RUNNING);

        Thread.sleep(1500);
        assertThat(get(c.id()).progress().dialled()).as("no retry before its time").isEqualTo(50);
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        await(() -> get(c.id()).progress().busy() == 20, "busy numbers retried after 5 minutes", 30);
        assertThat(get(c.id()).progress().noAnswer()).as("no-answer numbers wait 10 minutes").isEqualTo(10);
        clock.advance(Duration.ofMinutes(5));
        await(() -> get(c.id()).status() == Campaigns.Status.FINISHED, "the campaign finishes after the last retries", 60);
        Campaigns.Campaign done = get(c.id());
        assertThat(done.progress()).isEqualTo(new Campaigns.Progress(50, 69, 30, 20, 19, 0, 0, 0, 1, 0, 0));

        assertThat(metric("callibry_dialer_calls")).isZero();
        assertThat(metric("callibry_dialer_attempts_total{result=\"BUSY\"}")).isGreaterThanOrEqualTo(20);

        Map<String, Map<String, String>> results = results(c.id());
        assertThat(results).hasSize(50);
        for (String n : answering) {
            assertThat(results.get(n)).containsEntry("attempts", "1").containsEntry("lastResult", "ANSWERED")
                    .containsEntry("name", "Customer " + n);
            assertThat(Integer.parseInt(results.get(n).get("talkSeconds"))).isBetween(0, 5);
            assertThat(results.get(n).get("callId")).startsWith("dialer-" + c.id() + "-");
            assertThat(Instant.parse(results.get(n).get("lastAttemptAt"))).isBefore(clock.now());
        }
        busy.forEach(n -> assertThat(results.get(n)).containsEntry("attempts", "2").containsEntry("lastResult", "BUSY"));
        silent.subList(1, 10).forEach(n -> assertThat(results.get(n)).containsEntry("attempts", "2").containsEntry("lastResult", "NO_ANSWER"));
        assertThat(results.get(silent.getFirst())).containsEntry("attempts", "1").containsEntry("lastResult", "DNC");
    }

    @Test
    void campaignsShareTheNodesChannels() throws Exception {
        gateway('1', "uas.xml");
        long audio = audio(2);
        Campaigns.Campaign a = create(play("Share A", audio, 10, null, ALWAYS));
        Campaigns.Campaign b = create(play("Share B", audio, 10, null, ALWAYS));
        StringBuilder first = new StringBuilder();
        StringBuilder second = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            first.append(number('1', i)).append("\r\n");
            second.append(number('1', 100 + i)).append("\r\n");
        }
        numbers(a.id(), first.toString());
        numbers(b.id(), second.toString());
        dialer.limits(4, 50);
        try {
            control(Methods.CAMPAIGN_START, a.id());
            control(Methods.CAMPAIGN_START, b.id());
            AtomicInteger most = new AtomicInteger();
            AtomicInteger together = new AtomicInteger();
            await(() -> {
                Campaigns.Campaign x = get(a.id());
                Campaigns.Campaign y = get(b.id());
                int total = x.progress().inFlight() + y.progress().inFlight();
                most.accumulateAndGet(total, Math::max);
                if (x.progress().inFlight() > 0 && y.progress().inFlight() > 0) {
                    together.incrementAndGet();
                }
                return x.status() == Campaigns.Status.FINISHED && y.status() == Campaigns.Status.FINISHED;
            }, "both campaigns finish", 60);
            assertThat(most.get()).as("calls at once, both campaigns").isBetween(2, 4);
            assertThat(together.get()).as("samples with both campaigns dialling").isPositive();
            assertThat(get(a.id()).progress().answered() + get(b.id()).progress().answered()).isEqualTo(12);
        } finally {
            dialer.limits(200, 50);
        }
    }

    @Test
    void nothingIsDialledOutsideTheScheduleWindow() throws Exception {
        gateway('1', "uas.xml");
        long audio = audio(1);
        // a one-hour window opening two hours from now (UTC), every day
        Instant opens = clock.now().plus(Duration.ofHours(2));
        DateTimeFormatter hhmm = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);
        Campaigns.Schedule window = new Campaigns.Schedule(List.of(), hhmm.format(opens), hhmm.format(opens.plus(Duration.ofHours(1))),
                "UTC", false);
        Campaigns.Campaign c = create(play("Window", audio, 5, null, window));
        numbers(c.id(), "number\r\n" + number('1', 1) + "\r\n" + number('1', 2) + "\r\n");
        control(Methods.CAMPAIGN_START, c.id());
        await(() -> get(c.id()).dialling() != null, "the campaign says why it waits", 10);
        Thread.sleep(1000);
        Campaigns.Campaign waiting = get(c.id());
        assertThat(waiting.progress().dialled()).isZero();
        assertThat(waiting.dialling()).startsWith("outside its schedule; opens ");
        clock.advance(Duration.ofHours(2).plusMinutes(1));
        await(() -> get(c.id()).status() == Campaigns.Status.FINISHED, "dialled once the window opens", 30);
        assertThat(get(c.id()).progress().answered()).isEqualTo(2);
    }

    @Test
    void noCallsOnTheTenantsHolidays() throws Exception {
        gateway('1', "uas.xml");
        long audio = audio(1);
        Campaigns.Schedule obeying = new Campaigns.Schedule(List.of(), null, null, "UTC", true);
        if (!anonymous().discover().get("methods").findValuesAsString("name").contains("holiday.create")) {
            // no holiday calendar on this server (it comes with the IVR module): such a schedule is refused
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> create(play("Holiday", audio, 5, null, obeying)))
                    .hasMessageContaining("schedule.holidays");
            return;
        }
        java.time.LocalDate today = clock.now().atZone(ZoneOffset.UTC).toLocalDate();
        admin.call("holiday.create", Map.of("tenantId", tenantId, "date", today.toString(), "name", unique("Day off")), JsonNode.class);
        Campaigns.Campaign c = create(play("Holiday", audio, 5, null, obeying));
        numbers(c.id(), number('1', 1) + "\r\n");
        control(Methods.CAMPAIGN_START, c.id());
        await(() -> get(c.id()).dialling() != null, "the campaign says why it waits", 10);
        Thread.sleep(1000);
        assertThat(get(c.id()).progress().dialled()).isZero();
        assertThat(get(c.id()).dialling()).isEqualTo("outside its schedule; opens " + today.plusDays(1).atStartOfDay(ZoneOffset.UTC)
                .toInstant());
        clock.advance(Duration.between(clock.now(), today.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()).plusMinutes(1));
        await(() -> get(c.id()).status() == Campaigns.Status.FINISHED, "called the day after the holiday", 30);
    }

    @Test
    void dialingPausesWhileTheLoadIsHighAndResumesByItself() throws Exception {
        gateway('1', "uas.xml");
        long audio = audio(1);
        Campaigns.Campaign c = create(play("Load", audio, 5, null, ALWAYS));
        numbers(c.id(), number('1', 1) + "\r\n" + number('1', 2) + "\r\n" + number('1', 3) + "\r\n");
        load.set(100.0);
        control(Methods.CAMPAIGN_START, c.id());
        await(() -> get(c.id()).dialling() != null, "the campaign says why it waits", 10);
        Thread.sleep(1000);
        Campaigns.Campaign paused = get(c.id());
        assertThat(paused.progress().dialled()).isZero();
        assertThat(paused.status()).isEqualTo(Campaigns.Status.RUNNING);
        assertThat(paused.dialling()).startsWith("paused: load average 100.00 is above ");
        load.set(0.5);
        await(() -> get(c.id()).status() == Campaigns.Status.FINISHED, "dialling resumes when the load falls", 30);
        assertThat(get(c.id()).progress().answered()).isEqualTo(3);
        assertThat(get(c.id()).dialling()).isNull();
    }

    @Test
    void aRestartInTheMiddleInterruptsCallsThatAreTriedAgainOnce() throws Exception {
        gateway('1', "uas.xml");
        long audio = audio(4);
        Campaigns.RetryPolicy retry = new Campaigns.RetryPolicy(new Campaigns.Retry(0, 5), new Campaigns.Retry(0, 5),
                new Campaigns.Retry(1, 2));
        Campaigns.Campaign c = create(play("Restart", audio, 4, retry, ALWAYS));
        StringBuilder csv = new StringBuilder("number\r\n");
        for (int i = 0; i < 8; i++) {
            csv.append(number('1', i)).append("\r\n");
        }
        numbers(c.id(), csv.toString());
        control(Methods.CAMPAIGN_START, c.id());
        await(() -> get(c.id()).progress().inFlight() == 4, "four calls in the air", 20);
        Thread.sleep(1500); // answered, hearing the 4-second message

        dialer.stop();
        Campaigns.Campaign stopped = get(c.id());
        assertThat(stopped.progress().interrupted()).isEqualTo(4);
        assertThat(stopped.progress().inFlight()).isZero();
        // a crash between claiming a number and recording its call: the number is left DIALING
        List<CampaignStore.Claimed> crashed = store.claim(c.id(), tenantId, 1, clock.now());
        assertThat(crashed).hasSize(1);
        dialer.start();
        Campaigns.Campaign restarted = get(c.id());
        assertThat(restarted.progress().interrupted()).as("the crashed attempt counts too").isEqualTo(5);
        assertThat(restarted.status()).isEqualTo(Campaigns.Status.RUNNING);

        await(() -> get(c.id()).progress().answered() == 3, "the numbers never tried are called after the restart", 30);
        assertThat(get(c.id()).progress().dialled()).as("no interrupted number called before its retry").isEqualTo(8);
        clock.advance(Duration.ofMinutes(2).plusSeconds(1));
        await(() -> get(c.id()).status() == Campaigns.Status.FINISHED, "interrupted numbers tried again after 2 minutes", 40);
        Campaigns.Campaign done = get(c.id());
        assertThat(done.progress().answered()).isEqualTo(8);
        assertThat(done.progress().dialled()).isEqualTo(13);
        Map<String, Map<String, String>> results = results(c.id());
        assertThat(results.values()).allSatisfy(r -> assertThat(r.get("lastResult")).isEqualTo("ANSWERED"));
        assertThat(results.values().stream().filter(r -> r.get("attempts").equals("2")).count()).isEqualTo(5);
        assertThat(results.values().stream().filter(r -> r.get("attempts").equals("1")).count()).isEqualTo(3);
    }

    @Test
    void theDemoCampaignReachesTheDemoGateway() throws Exception {
        Campaigns.Campaign demo = admin.call("campaign.list", new Campaigns.ListParams(tenantId, null), tools.jackson.databind.JsonNode.class)
                .get("items").valueStream().map(n -> json.treeToValue(n, Campaigns.Campaign.class))
                .filter(x -> x.name().equals(DemoCampaign.NAME)).findFirst().orElseThrow();
        assertThat(demo.status()).isEqualTo(Campaigns.Status.DRAFT);
        assertThat(demo.callerId()).matches("^1\\d{3}$");
        assertThat(demo.progress().numbers()).isEqualTo(3);
        assertThat(demo.onAnswer()).isEqualTo(Campaigns.OnAnswer.PLAY);
        // the demo gateway, answering; a short message and every hour of every day so the test does not wait
        open.add(org.callibry.server.testing.Sipp.start(tmp, null, "uas.xml", 5080, "-timeout", "120s", "-recv_timeout", "60000"));
        long tone = audio(1);
        admin.call("campaign.update", new Campaigns.Update(demo.id(), null, null, List.of(tone), 1, null, null, null, null, null, null,
                null, ALWAYS, null, null, null), Campaigns.Campaign.class);
        control(Methods.CAMPAIGN_START, demo.id());
        await(() -> get(demo.id()).status() == Campaigns.Status.FINISHED, "the demo numbers are called", 40);
        assertThat(get(demo.id()).progress().answered()).isEqualTo(3);
        assertThat(results(demo.id()).keySet()).containsExactlyElementsOf(DemoCampaign.NUMBERS);
    }
}

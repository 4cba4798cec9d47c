package org.callibry.server.dialer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.callibry.server.acd.QueueLive;
import org.callibry.server.calls.CallControl;
import org.callibry.server.calls.CallSession;
import org.callibry.shared.testing.FreePorts;
import org.callibry.server.testing.Sipp;
import org.callibry.shared.api.Methods;
import org.callibry.shared.api.dto.Accounts;
import org.callibry.shared.api.dto.Campaigns;
import org.callibry.shared.api.dto.Domains;
import org.callibry.shared.api.dto.Queues;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Campaigns whose answered calls go on to another application, with real SIP parties. Scenarios:
 * <ul>
 *   <li>predictive to a queue of two SIPp agents (answering at once, talking 2 s): every answered
 *       customer is connected to an agent within 2 s, nobody is abandoned, the pacing is visible;</li>
 *   <li>predictive to a queue whose agent never answers: each answered customer waits 2 s, is taken
 *       back from the queue and hears the abandon message; the number is not called again for 72 hours,
 *       by this campaign or another of the tenant, and the pacing falls back to progressive;</li>
 *   <li>an IVR campaign hands the answered call to the application registered as {@code ivr}, with the
 *       number's CSV columns as variables and the attempt's call id;</li>
 *   <li>an application that refuses the answered call: a queue that no longer exists leaves the callee
 *       without an agent (abandoned, with the message), an IVR without the scenario is a failure.</li>
 * </ul>
 */
class DialerQueueIT extends DialerTestSupport {
    @Autowired
    QueueLive live;

    @Autowired
    CallControl calls;

    private Domains.Domain demo() {
        return admin.domains().list(new Domains.ListParams(null, "demo.callibry.test", null, null)).items().getFirst();
    }

    /** A registered agent account running {@code scenario} for every offer. */
    private Accounts.Account agent(String scenario) throws Exception {
        String number = "9" + (10_000 + (int) (Math.random() * 89_999));
        Accounts.Account a = admin.accounts().create(new Accounts.Create(demo().id(), number, "Agent " + number, PASSWORD, null));
        Map<String, Object> local = new LinkedHashMap<>();
        local.put("name", unique("agent"));
        local.put("priority", 1);
        local.put("bNumberMask", "^" + number + "$");
        local.put("destinationType", "LOCAL");
        admin.call("route.create", local, JsonNode.class);
        int port = FreePorts.udpAndTcp();
        Path users = Sipp.injection(tmp, "reg-" + number + ".csv", List.of(List.of(number, PASSWORD, "300")));
        assertThat(Sipp.run(tmp, "127.0.0.1:" + SIP_PORT, "register.xml", port, "-inf", users.toString(), "-m", "1").passed()).isTrue();
        open.add(Sipp.start(tmp, null, scenario, port, "-timeout", "600s", "-recv_timeout", "60000"));
        return a;
    }

    private Queues.Queue queue(List<Accounts.Account> agents) throws Exception {
        Queues.Queue q = admin.queues().create(Queues.Create.of(tenantId, "56" + prefix.substring(1), unique("Outbound"),
                Queues.Strategy.ROUND_ROBIN, agents.stream().map(a -> new Queues.Member(a.id(), 0)).toList()));
        await(() -> live.snapshot(tenantId).stream().filter(s -> s.queueId() == q.id())
                .anyMatch(s -> s.agents().getOrDefault("FREE", 0) == agents.size()), "agents free", 20);
        return q;
    }

    private Campaigns.Create predictive(String name, Queues.Queue q, long abandonAudio, int maxConcurrent) {
        return new Campaigns.Create(tenantId, unique(name), Campaigns.OnAnswer.QUEUE, null, null, null, q.id(), "1001",
                maxConcurrent, 10, 15, null, null, true, 3.0, abandonAudio);
    }

    /**
     * A scenario id the IVR module accepts for a campaign: a real one (one hang-up node) when the module runs
     * here, else any id (the test registers its own {@code ivr} application, which ignores it).
     */
    private long scenario() {
        boolean ivrModule = admin.discover().get("methods").findValuesAsString("name").contains("ivr.create");
        if (!ivrModule) {
            return 42;
        }
        JsonNode scenario = json.readTree("{\"start\": \"bye\", \"nodes\": [{\"id\": \"bye\", \"type\": \"hangup\"}]}");
        return admin.call("ivr.create", Map.of("tenantId", tenantId, "name", unique("campaign"), "scenario", scenario), JsonNode.class)
                .get("id").asLong();
    }

    private String csv(List<String> numbers) {
        StringBuilder b = new StringBuilder("number,name\r\n");
        numbers.forEach(n -> b.append(n).append(",Customer ").append(n).append("\r\n"));
        return b.toString();
    }

    @Test
    void predictiveCallsReachFreeAgentsWithinTwoSeconds() throws Exception {
        gateway('1', "uas.xml");
        gateway('2', "uas-busy.xml");
        Queues.Queue q = queue(List.of(agent("uas-campaign-agent.xml"), agent("uas-campaign-agent.xml")));
        Campaigns.Campaign c = create(predictive("Agents", q, audio(1), 10));
        List<String> numbers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            numbers.add(number('1', i));
        }
        for (int i = 0; i < 4; i++) {
            numbers.add(number('2', i));
        }
        numbers(c.id(), csv(numbers));
        control(Methods.CAMPAIGN_START, c.id());
        await(() -> get(c.id()).status() == Campaigns.Status.FINISHED, "every number done", 90);
        Campaigns.Campaign done = get(c.id());
        assertThat(done.progress().answered()).isEqualTo(8);
        assertThat(done.progress().busy()).isEqualTo(4);
        assertThat(done.progress().abandoned()).isZero();
        assertThat(done.pacing()).isNotNull();
        Map<String, Map<String, String>> results = results(c.id());
        for (int i = 0; i < 8; i++) {
            assertThat(Integer.parseInt(results.get(number('1', i)).get("talkSeconds"))).as("talked with an agent").isBetween(1, 6);
        }
    }

    @Test
    void anAnsweredCallWithNoAgentInTwoSecondsIsAbandonedAndLeftAloneFor72Hours() throws Exception {
        gateway('1', "uas.xml");
        Queues.Queue q = queue(List.of(agent("uas-ring.xml")));
        long message = audio(1);
        Campaigns.Campaign c = create(predictive("Abandon", q, message, 5));
        numbers(c.id(), csv(List.of(number('1', 1))));
        control(Methods.CAMPAIGN_START, c.id());
        await(() -> get(c.id()).progress().abandoned() == 1, "abandoned after 2 s without an agent", 30);
        Campaigns.Campaign after = get(c.id());
        assertThat(after.progress().answered()).isZero();
        assertThat(after.progress().remaining()).as("called again after 72 h").isEqualTo(1);
        assertThat(after.pacing().abandoned30d()).isEqualTo(1);
        assertThat(after.pacing().abandonPercent()).isEqualTo(100.0);
        assertThat(after.pacing().reason()).isEqualTo("1.00 → 1.00: abandon rate 100.00 % over 30 days is near the 3.0 % cap: progressive");
        assertThat(results(c.id()).get(number('1', 1))).containsEntry("lastResult", "ABANDONED");
        control(Methods.CAMPAIGN_STOP, c.id());

        // another campaign of the tenant to the same number waits for the 72 hours too
        Campaigns.Campaign other = create(play("After abandon", message, 5, null, null));
        numbers(other.id(), csv(List.of(number('1', 1))));
        control(Methods.CAMPAIGN_START, other.id());
        Thread.sleep(2500);
        assertThat(get(other.id()).progress().dialled()).isZero();
        clock.advance(Duration.ofHours(72).plusMinutes(1));
        await(() -> get(other.id()).status() == Campaigns.Status.FINISHED, "called once 72 hours passed", 30);
        assertThat(get(other.id()).progress().answered()).isEqualTo(1);
    }

    @Test
    void anIvrCampaignHandsTheCallToTheIvrApplicationWithTheNumbersColumns() throws Exception {
        gateway('1', "uas.xml");
        Map<String, Map<String, String>> seen = new ConcurrentHashMap<>();
        Map<String, String> services = new ConcurrentHashMap<>();
        java.util.Optional<org.callibry.server.calls.CallApplication> ivr = calls.application(CallControl.IVR);
        calls.register(CallControl.IVR, (CallSession s) -> {
            seen.put(s.caller(), s.variables());
            services.put(s.caller(), s.serviceName() + " " + s.callId());
            s.hangup("scenario over");
        });
        try {
            long scenario = scenario();
            Campaigns.Campaign c = create(new Campaigns.Create(tenantId, unique("Survey"), Campaigns.OnAnswer.IVR, null, null, scenario,
                    null, "1001", 5, 10, 15, null, null, null, null, null));
            numbers(c.id(), "number,name,balance,due\r\n" + number('1', 7) + ",Ann,125.50,2026-12-31\r\n");
            control(Methods.CAMPAIGN_START, c.id());
            await(() -> get(c.id()).status() == Campaigns.Status.FINISHED, "the scenario ran", 30);
            assertThat(seen.get(number('1', 7))).containsEntry("name", "Ann").containsEntry("balance", "125.50")
                    .containsEntry("due", "2026-12-31").containsEntry("number", number('1', 7))
                    .containsEntry("campaignId", Long.toString(c.id()));
            assertThat(services.get(number('1', 7))).startsWith(scenario + " dialer-" + c.id() + "-");
            assertThat(results(c.id()).get(number('1', 7))).containsEntry("lastResult", "ANSWERED");
        } finally {
            ivr.ifPresent(app -> calls.register(CallControl.IVR, app)); // the IVR module's own, when it runs
        }
    }

    @Test
    void anApplicationThatRefusesTheAnsweredCall() throws Exception {
        gateway('1', "uas.xml");
        long message = audio(1);
        Queues.Queue q = admin.queues().create(Queues.Create.of(tenantId, "57" + prefix.substring(1), unique("Gone"),
                Queues.Strategy.LINEAR, List.of()));
        Campaigns.Campaign toQueue = create(new Campaigns.Create(tenantId, unique("To a queue"), Campaigns.OnAnswer.QUEUE, null, null,
                null, q.id(), "1001", 5, 10, 15, null, null, false, null, message));
        admin.call("queue.delete", new org.callibry.shared.api.dto.IdParams(q.id()), JsonNode.class);
        numbers(toQueue.id(), csv(List.of(number('1', 1))));
        control(Methods.CAMPAIGN_START, toQueue.id());
        await(() -> get(toQueue.id()).status() == Campaigns.Status.FINISHED || get(toQueue.id()).progress().abandoned() == 1,
                "the queue refused the call", 30);
        assertThat(results(toQueue.id()).get(number('1', 1))).containsEntry("lastResult", "ABANDONED");
        control(Methods.CAMPAIGN_STOP, toQueue.id());

        java.util.Optional<org.callibry.server.calls.CallApplication> ivr = calls.application(CallControl.IVR);
        calls.register(CallControl.IVR, s -> s.reject(404, "No such IVR scenario"));
        try {
            Campaigns.Campaign toIvr = create(new Campaigns.Create(tenantId, unique("To an IVR"), Campaigns.OnAnswer.IVR, null, null,
                    scenario(), null, "1001", 5, 10, 15, null, null, null, null, null));
            numbers(toIvr.id(), csv(List.of(number('1', 2))));
            control(Methods.CAMPAIGN_START, toIvr.id());
            await(() -> get(toIvr.id()).status() == Campaigns.Status.FINISHED, "the IVR refused the call", 30);
            assertThat(get(toIvr.id()).progress().failed()).isEqualTo(1);
            assertThat(results(toIvr.id()).get(number('1', 2))).containsEntry("lastResult", "FAILED");
        } finally {
            ivr.ifPresent(app -> calls.register(CallControl.IVR, app));
        }
    }
}

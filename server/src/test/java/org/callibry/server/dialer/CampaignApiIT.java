package org.callibry.server.dialer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.callibry.server.api.ApiTestSupport;
import org.callibry.server.testing.Audio;
import org.callibry.shared.api.ErrorCodes;
import org.callibry.shared.api.Methods;
import org.callibry.shared.api.client.CallibryClient;
import org.callibry.shared.api.client.RpcErrorException;
import org.callibry.shared.api.dto.Campaigns;
import org.callibry.shared.api.dto.IdParams;
import org.callibry.shared.api.dto.Notification;
import org.callibry.shared.api.dto.Page;
import org.callibry.shared.api.dto.Queues;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The campaign and do-not-call API without calls. Scenarios: defaults of a new campaign and a partial
 * update; fields refused with their names (ring timeout under 15 s, a PLAY campaign without audio, another
 * tenant's audio file or queue, predictive without a queue or abandon message, a time window with one end,
 * an unknown time zone, holidays while no holiday calendar runs); roles and tenant scope (an operator is refused, a
 * customer sees and changes only its tenant's campaigns, an upload to another tenant's campaign is not
 * found); state rules (no start without numbers, pause/resume/stop only from the right states, no delete
 * while running); the do-not-call list (add, list by match, remove; a number added while a campaign waits to
 * call it is done as DNC; the CSV upload); {@code campaign.progress} pushed to the tenant.
 */
class CampaignApiIT extends ApiTestSupport {
    @TempDir
    Path tmp;

    final JsonMapper json = JsonMapper.builder().build();

    private long audio(CallibryClient c, long tenantId) throws Exception {
        Path wav = Audio.tone(tmp.resolve(unique("t") + ".wav"), 440, 1);
        return c.uploadAudio(wav, unique("msg"), tenantId).id();
    }

    private static Campaigns.Create play(Long tenantId, String name, long audio) {
        return new Campaigns.Create(tenantId, name, Campaigns.OnAnswer.PLAY, List.of(audio), null, null, null, "1001", null, null,
                null, null, null, null, null, null);
    }

    private static void refused(Runnable call, int code, String field) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(RpcErrorException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            if (field != null) {
                assertThat(e.field()).isEqualTo(field);
            }
        });
    }

    private JsonNode post(String token, String path, String body) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base().resolve(path))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        return json.readTree(r.body());
    }

    @Test
    void createsWithDefaultsAndRefusesBadFieldsByName() throws Exception {
        Fixture f = fixture();
        Fixture other = fixture();
        CallibryClient admin = admin();
        long audio = audio(admin, f.tenant().id());
        long foreignAudio = audio(admin, other.tenant().id());
        Campaigns.Campaign c = admin.call("campaign.create", play(f.tenant().id(), "Reminder", audio), Campaigns.Campaign.class);
        assertThat(c.status()).isEqualTo(Campaigns.Status.DRAFT);
        assertThat(c.playTimes()).isEqualTo(1);
        assertThat(c.maxConcurrent()).isEqualTo(10);
        assertThat(c.callsPerSecond()).isEqualTo(5);
        assertThat(c.ringTimeoutSeconds()).isEqualTo(30);
        assertThat(c.retry().busy().retries()).isZero();
        assertThat(c.schedule()).isEqualTo(new Campaigns.Schedule(List.of(), null, null, null, false));
        assertThat(c.progress()).isEqualTo(new Campaigns.Progress(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        assertThat(c.pacing()).isNull();

        Campaigns.Update u = new Campaigns.Update(c.id(), null, null, null, 3, null, null, null, 4, null, 20, null,
                new Campaigns.Schedule(List.of(5, 1, 1), "09:00", "18:00", "Europe/Moscow", null), null, null, null);
        Campaigns.Campaign changed = admin.call("campaign.update", u, Campaigns.Campaign.class);
        assertThat(changed.playTimes()).isEqualTo(3);
        assertThat(changed.maxConcurrent()).isEqualTo(4);
        assertThat(changed.ringTimeoutSeconds()).isEqualTo(20);
        assertThat(changed.schedule()).isEqualTo(new Campaigns.Schedule(List.of(1, 5), "09:00", "18:00", "Europe/Moscow", false));
        assertThat(changed.name()).isEqualTo("Reminder");

        refused(() -> admin.call("campaign.update", new Campaigns.Update(c.id(), null, null, null, null, null, null, null, null, null,
                14, null, null, null, null, null), Campaigns.Campaign.class), ErrorCodes.INVALID_PARAMS, "ringTimeoutSeconds");
        refused(() -> admin.call("campaign.create", new Campaigns.Create(f.tenant().id(), "x", Campaigns.OnAnswer.PLAY, null, null,
                null, null, "1001", null, null, null, null, null, null, null, null), Campaigns.Campaign.class), ErrorCodes.INVALID_PARAMS,
                "audioFileIds");
        refused(() -> admin.call("campaign.create", play(f.tenant().id(), "y", foreignAudio), Campaigns.Campaign.class),
                ErrorCodes.INVALID_PARAMS, "audioFileIds");
        refused(() -> admin.call("campaign.create", play(f.tenant().id(), "reminder", audio), Campaigns.Campaign.class),
                ErrorCodes.CONFLICT, "name");
        Queues.Queue foreignQueue = admin.queues().create(Queues.Create.of(other.tenant().id(), "577", unique("Q"),
                Queues.Strategy.LINEAR, List.of()));
        refused(() -> admin.call("campaign.create", new Campaigns.Create(f.tenant().id(), "q", Campaigns.OnAnswer.QUEUE, null, null,
                null, foreignQueue.id(), "1001", null, null, null, null, null, null, null, null), Campaigns.Campaign.class),
                ErrorCodes.INVALID_PARAMS, "queueId");
        refused(() -> admin.call("campaign.create", new Campaigns.Create(f.tenant().id(), "p", Campaigns.OnAnswer.PLAY, List.of(audio),
                null, null, null, "1001", null, null, null, null, null, true, null, audio), Campaigns.Campaign.class),
                ErrorCodes.INVALID_PARAMS, "predictive");
        Queues.Queue queue = admin.queues().create(Queues.Create.of(f.tenant().id(), "578", unique("Q"), Queues.Strategy.LINEAR,
                List.of()));
        refused(() -> admin.call("campaign.create", new Campaigns.Create(f.tenant().id(), "p", Campaigns.OnAnswer.QUEUE, null, null,
                null, queue.id(), "1001", null, null, null, null, null, true, null, null), Campaigns.Campaign.class),
                ErrorCodes.INVALID_PARAMS, "abandonAudioId");
        refused(() -> admin.call("campaign.update", Campaigns.Update.of(c.id()).withSchedule(new Campaigns.Schedule(null, "09:00", null,
                null, null)), Campaigns.Campaign.class), ErrorCodes.INVALID_PARAMS, "schedule.timeTo");
        refused(() -> admin.call("campaign.update", Campaigns.Update.of(c.id()).withSchedule(new Campaigns.Schedule(null, null, null,
                "Mars/Olympus", null)), Campaigns.Campaign.class), ErrorCodes.INVALID_PARAMS, "schedule.timeZone");
        Campaigns.Update withHolidays = Campaigns.Update.of(c.id()).withSchedule(new Campaigns.Schedule(null, null, null, null, true));
        if (anonymous().discover().get("methods").findValuesAsString("name").contains("holiday.create")) {
            // the tenant's holiday calendar runs here (the IVR module's holiday.*): a schedule may obey it
            assertThat(admin.call("campaign.update", withHolidays, Campaigns.Campaign.class).schedule().holidays()).isTrue();
        } else {
            refused(() -> admin.call("campaign.update", withHolidays, Campaigns.Campaign.class), ErrorCodes.INVALID_PARAMS,
                    "schedule.holidays");
        }

        JsonNode doc = anonymous().discover();
        JsonNode create = null;
        for (JsonNode m : doc.get("methods")) {
            if (m.get("name").asString().equals("campaign.create")) {
                create = m;
            }
        }
        assertThat(create).as("campaign.create in rpc.discover").isNotNull();
        assertThat(create.get("params").findValuesAsString("name")).contains("name", "onAnswer", "callerId", "ringTimeoutSeconds",
                "retry", "schedule", "predictive");
        assertThat(doc.at("/components/schemas/Campaigns.Campaign/properties").has("progress")).isTrue();
        assertThat(doc.get("methods").findValuesAsString("name")).contains("campaign.start", "campaign.pause", "campaign.resume",
                "campaign.stop", "dnc.add", "dnc.remove", "dnc.list");
    }

    @Test
    void rolesTenantsAndStateRules() throws Exception {
        Fixture f = fixture();
        Fixture other = fixture();
        CallibryClient customer = as(f.customer());
        long audio = audio(customer, f.tenant().id());
        Campaigns.Campaign c = customer.call("campaign.create", play(null, "Mine", audio), Campaigns.Campaign.class);
        assertThat(c.tenantId()).isEqualTo(f.tenant().id());
        refused(() -> as(f.operator()).call("campaign.list", new Campaigns.ListParams(null, null), JsonNode.class),
                ErrorCodes.FORBIDDEN, null);
        CallibryClient stranger = as(other.customer());
        refused(() -> stranger.call("campaign.get", new IdParams(c.id()), Campaigns.Campaign.class), ErrorCodes.NOT_FOUND, null);
        assertThat(stranger.call("campaign.list", new Campaigns.ListParams(null, null), JsonNode.class).get("total").asLong()).isZero();
        refused(() -> stranger.call("campaign.list", new Campaigns.ListParams(f.tenant().id(), null), JsonNode.class),
                ErrorCodes.FORBIDDEN, "tenantId");
        JsonNode foreignUpload = post(stranger.token(), "api/campaigns/" + c.id() + "/numbers", "number\r\n89001234567\r\n");
        assertThat(foreignUpload.get("error").get("code").asInt()).isEqualTo(ErrorCodes.NOT_FOUND);

        refused(() -> customer.call(Methods.CAMPAIGN_START, new IdParams(c.id()), Campaigns.Campaign.class), ErrorCodes.CONFLICT, "numbers");
        refused(() -> customer.call(Methods.CAMPAIGN_PAUSE, new IdParams(c.id()), Campaigns.Campaign.class), ErrorCodes.CONFLICT, "status");
        JsonNode broken = post(customer.token(), "api/campaigns/" + c.id() + "/numbers", "number\r\n\"89001234567\r\n");
        assertThat(broken.get("error").get("data").get("field").asString()).isEqualTo("file");
        JsonNode up = post(customer.token(), "api/campaigns/" + c.id() + "/numbers", "number\r\n89001234567\r\n89001234568\r\n");
        assertThat(up.get("result").get("added").asInt()).isEqualTo(2);
        JsonNode again = post(customer.token(), "api/campaigns/" + c.id() + "/numbers", "number\r\n89001234568\r\n89001234569\r\n");
        assertThat(again.get("result").get("added").asInt()).isEqualTo(1);
        assertThat(again.get("result").get("duplicates").asInt()).isEqualTo(1);
        assertThat(again.get("result").get("problems").get(0).get("line").asInt()).isEqualTo(2);
        assertThat(again.get("result").get("problems").get(0).get("reason").asString()).isEqualTo("already in the campaign");

        // the do-not-call list: a waiting number becomes DNC at once
        customer.call(Methods.DNC_ADD, new Campaigns.DncAdd(null, List.of("8 900 123-45-68"), "asked"), JsonNode.class);
        Campaigns.Campaign afterDnc = customer.call("campaign.get", new IdParams(c.id()), Campaigns.Campaign.class);
        assertThat(afterDnc.progress().dnc()).isEqualTo(1);
        assertThat(afterDnc.progress().remaining()).isEqualTo(2);
        Page<?> listed = customer.call(Methods.DNC_LIST, new Campaigns.DncList(null, "1234", null, null), Page.class);
        assertThat(listed.total()).isEqualTo(1);
        JsonNode dncUpload = post(customer.token(), "api/dnc", "number,note\r\n89005550001,x\r\nbad,y\r\n89005550001,z\r\n");
        assertThat(dncUpload.get("result").get("added").asInt()).isEqualTo(1);
        assertThat(dncUpload.get("result").get("malformed").asInt()).isEqualTo(1);
        assertThat(dncUpload.get("result").get("duplicates").asInt()).isEqualTo(1);
        assertThat(stranger.call(Methods.DNC_LIST, new Campaigns.DncList(null, null, null, null), Page.class).total()).isZero();
        JsonNode removed = customer.call(Methods.DNC_REMOVE, new Campaigns.DncRemove(null, List.of("89001234568", "89005550001")),
                JsonNode.class);
        assertThat(removed.get("changed").asInt()).isEqualTo(2);

        // push: the tenant hears its campaign's progress
        BlockingQueue<Notification> pushes = new LinkedBlockingQueue<>();
        try (var s = customer.subscribe(pushes::add)) {
            Campaigns.Campaign paused = null;
            CallibryClient admin = admin();
            admin.call(Methods.CAMPAIGN_START, new IdParams(c.id()), Campaigns.Campaign.class);
            paused = admin.call(Methods.CAMPAIGN_PAUSE, new IdParams(c.id()), Campaigns.Campaign.class);
            assertThat(paused.status()).isEqualTo(Campaigns.Status.PAUSED);
            customer.call(Methods.CAMPAIGN_RESUME, new IdParams(c.id()), Campaigns.Campaign.class);
            refused(() -> customer.call("campaign.delete", new IdParams(c.id()), JsonNode.class), ErrorCodes.CONFLICT, "status");
            customer.call(Methods.CAMPAIGN_STOP, new IdParams(c.id()), Campaigns.Campaign.class);
            Notification n = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline && (n == null || !n.method().equals("campaign.progress"))) {
                n = pushes.poll(100, TimeUnit.MILLISECONDS);
            }
            assertThat(n).isNotNull();
            assertThat(n.method()).isEqualTo("campaign.progress");
            assertThat(n.params().get("id").asLong()).isEqualTo(c.id());
            assertThat(n.params().get("progress").get("numbers").asLong()).isEqualTo(3);
        }
        customer.call("campaign.delete", new IdParams(c.id()), JsonNode.class);
        refused(() -> customer.call("campaign.get", new IdParams(c.id()), Campaigns.Campaign.class), ErrorCodes.NOT_FOUND, null);
    }
}

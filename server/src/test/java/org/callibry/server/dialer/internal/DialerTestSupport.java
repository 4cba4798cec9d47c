package org.callibry.server.dialer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.callibry.server.api.ApiTestSupport;
import org.callibry.server.testing.Audio;
import org.callibry.shared.testing.FreePorts;
import org.callibry.server.testing.Sipp;
import org.callibry.shared.api.client.CallibryClient;
import org.callibry.shared.api.dto.Campaigns;
import org.callibry.shared.api.dto.Domains;
import org.callibry.shared.api.dto.IdParams;
import org.callibry.shared.api.dto.Routes;
import org.callibry.shared.csv.Csv;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the dialer ITs share: the demo tenant, gateways played by SIPp (answering, busy, ringing until
 * cancelled) behind routes of their own number prefix, audio files, campaigns through the API, the CSV
 * upload and results download over HTTP, and waits with a deadline. The load source is pinned to 0 (this
 * machine is shared: its real load average must not pause the tests' campaigns).
 */
abstract class DialerTestSupport extends ApiTestSupport {
    @TempDir
    Path tmp;

    @Autowired
    DialerClock clock;

    @Autowired
    SystemLoad load;

    @Autowired
    Dialer dialer;

    @Autowired
    CampaignStore store;

    final JsonMapper json = JsonMapper.builder().build();
    CallibryClient admin;
    String token;
    long tenantId;
    /** A number prefix of this test's own: 7 + five digits. */
    String prefix;
    final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void setUpDialer() {
        load.set(0.0);
        admin = anonymous();
        token = admin.login("admin", ADMIN_PASSWORD).token();
        Domains.Domain demo = admin.domains().list(new Domains.ListParams(null, "demo.callibry.test", null, null)).items().getFirst();
        tenantId = demo.tenantId();
        prefix = "7" + (10_000 + (int) (Math.random() * 89_999));
    }

    @AfterEach
    void closeParties() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
        load.set(0.0);
    }

    /** A gateway running {@code scenario} for every call, reached by numbers {@code prefix + digit + 3 digits}. */
    int gateway(char digit, String scenario) throws Exception {
        int port = FreePorts.udpAndTcp();
        Sipp.Running r = Sipp.start(tmp, null, scenario, port, "-timeout", "600s", "-recv_timeout", "60000");
        open.add(r);
        Map<String, Object> route = new LinkedHashMap<>();
        route.put("name", unique("gw-" + digit));
        route.put("priority", 2);
        route.put("bNumberMask", "^" + prefix + digit + "\\d{3}$");
        route.put("destinationType", Routes.DestinationType.GATEWAY.name());
        route.put("destination", "127.0.0.1:" + port);
        route.put("relayMedia", false);
        admin.call("route.create", route, JsonNode.class);
        return port;
    }

    /** The number {@code i} behind gateway {@code digit}. */
    String number(char digit, int i) {
        return prefix + digit + String.format("%03d", i);
    }

    long audio(int seconds) throws Exception {
        Path wav = Audio.tone(tmp.resolve(unique("tone") + ".wav"), 440, seconds);
        return admin.uploadAudio(wav, unique("msg"), tenantId).id();
    }

    Campaigns.Create play(String name, long audio, int maxConcurrent, Campaigns.RetryPolicy retry, Campaigns.Schedule schedule) {
        return new Campaigns.Create(tenantId, unique(name), Campaigns.OnAnswer.PLAY, List.of(audio), 1, null, null, "1001",
                maxConcurrent, 20, 15, retry, schedule, null, null, null);
    }

    Campaigns.Campaign create(Campaigns.Create c) {
        return admin.call("campaign.create", c, Campaigns.Campaign.class);
    }

    Campaigns.Campaign get(long id) {
        return admin.call("campaign.get", new IdParams(id), Campaigns.Campaign.class);
    }

    Campaigns.Campaign control(String method, long id) {
        return admin.call(method, new IdParams(id), Campaigns.Campaign.class);
    }

    /** {@code POST /api/campaigns/{id}/numbers} with {@code csv} as the body: the upload's result, or the error object. */
    JsonNode upload(String path, String csv) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base().resolve(path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString(csv)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = json.readTree(r.body());
        return body.has("result") ? body.get("result") : body.get("error");
    }

    Campaigns.Upload numbers(long campaignId, String csv) throws Exception {
        return json.treeToValue(upload("api/campaigns/" + campaignId + "/numbers", csv), Campaigns.Upload.class);
    }

    /** The results CSV by number: {@code number → row} (header names as keys). */
    Map<String, Map<String, String>> results(long campaignId) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        base().resolve("api/campaigns/" + campaignId + "/results.csv")).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        List<Csv.Line> lines = Csv.read(r.body());
        List<String> header = lines.getFirst().fields();
        assertThat(header).containsExactly(CampaignStore.RESULTS_HEADER);
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (Csv.Line l : lines.subList(1, lines.size())) {
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                row.put(header.get(i), l.fields().get(i));
            }
            out.put(row.get("number"), row);
        }
        return out;
    }

    URI api() {
        return base();
    }

    static void await(BooleanSupplier condition, String what, int seconds) throws InterruptedException {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.currentTimeMillis()).as(what).isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}

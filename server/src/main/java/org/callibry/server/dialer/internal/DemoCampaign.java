package org.callibry.server.dialer.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import org.callibry.server.directory.AudioUploads;
import org.callibry.server.directory.SipDirectory;
import org.callibry.shared.api.dto.Campaigns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * The demo campaign (unless {@code callibry.demo.enabled=false}), created when missing, never started:
 * "Payment reminder" plays the demo reminder twice to three numbers {@code 8XXXXXXXXXX}, which the demo
 * route "Russian long distance" rewrites to {@code +7...} and sends to its gateway at 127.0.0.1:5080;
 * its caller ID 1001 passes that route's A-number mask {@code ^1\d{3}$}. Busy numbers are tried twice
 * more 10 minutes apart, unanswered ones once after 30 minutes, weekdays 09:00-20:00 in the tenant's
 * time zone. The message files (and the abandon message for agent campaigns) come from
 * {@code scripts/make-dialer-prompts.sh} and are added to the demo tenant's audio library.
 */
@Component
@Order(3)
class DemoCampaign implements ApplicationRunner {
    private static final Logger log = LoggerFactory.getLogger(DemoCampaign.class);
    static final String NAME = "Payment reminder";
    static final String DEMO_DOMAIN = "demo.callibry.test";
    static final List<String> NUMBERS = List.of("89001234501", "89001234502", "89001234503");

    private final SipDirectory directory;
    private final AudioUploads uploads;
    private final CampaignStore store;
    private final CampaignEndpoint campaigns;
    private final boolean demo;

    DemoCampaign(SipDirectory directory, AudioUploads uploads, CampaignStore store, CampaignEndpoint campaigns,
                 @Value("${callibry.demo.enabled:true}") boolean demo) {
        this.directory = directory;
        this.uploads = uploads;
        this.store = store;
        this.campaigns = campaigns;
        this.demo = demo;
    }

    @Override
    public void run(ApplicationArguments args) throws IOException {
        if (!demo) {
            return;
        }
        Optional<SipDirectory.Domain> domain = directory.domains().stream().filter(d -> d.name().equals(DEMO_DOMAIN)).findFirst();
        if (domain.isEmpty()) {
            return;
        }
        long tenant = domain.get().tenantId();
        if (store.campaigns(tenant, null).stream().anyMatch(c -> c.name().equalsIgnoreCase(NAME))) {
            return;
        }
        long message = audio(tenant, "Payment reminder message", "payment-reminder.wav");
        audio(tenant, "Abandon message", "abandon-message.wav");
        Campaigns.Campaign c = campaigns.save(null, new Campaigns.Campaign(0, tenant, NAME, Campaigns.Status.DRAFT,
                Campaigns.OnAnswer.PLAY, List.of(message), 2, null, null, "1001", 5, 2, 30,
                new Campaigns.RetryPolicy(new Campaigns.Retry(2, 10), new Campaigns.Retry(1, 30), new Campaigns.Retry(1, 30)),
                new Campaigns.Schedule(List.of(1, 2, 3, 4, 5), "09:00", "20:00", null, false), false, 3.0, null, null, null, null,
                null, null));
        StringBuilder csv = new StringBuilder("number,name,amount\r\n");
        for (int i = 0; i < NUMBERS.size(); i++) {
            csv.append(NUMBERS.get(i)).append(",Demo customer ").append(i + 1).append(',').append(500 * (i + 1)).append("\r\n");
        }
        store.add(c.id(), tenant, NumberList.parse(csv.toString()));
        log.info("Demo campaign '{}' created (not started): {} numbers to the demo gateway 127.0.0.1:5080, caller ID 1001", NAME,
                NUMBERS.size());
    }

    /** Adds the prompt {@code resource} to the tenant's library as {@code name} (suffixed when the name is taken). */
    private long audio(long tenant, String name, String resource) throws IOException {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("callibry-demo-");
        java.nio.file.Path tmp = dir.resolve(resource);
        try (InputStream in = DemoCampaign.class.getResourceAsStream("/prompts/dialer/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource /prompts/dialer/" + resource);
            }
            java.nio.file.Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return uploads.store(tenant, name, tmp);
        } finally {
            java.nio.file.Files.deleteIfExists(tmp);
            java.nio.file.Files.deleteIfExists(dir);
        }
    }
}

package org.callibry.server.sip;

import org.callibry.server.testing.TestServer;
import static org.assertj.core.api.Assertions.assertThat;

import gov.nist.javax.sip.stack.LeanUdpMessageProcessor;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.callibry.shared.testing.FreePorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * With no fixed rate cap (the default), a source that floods the server far beyond what it processes is held
 * to its share once the queue is behind (its excess dropped unparsed or answered 503), while a modest
 * source at the same time keeps being served, and everything answers normally right after the flood.
 */
class FloodFairnessIT {
    private static ConfigurableApplicationContext server;
    private static int sipPort;

    @BeforeAll
    static void start(@TempDir Path data) {
        sipPort = FreePorts.udpAndTcp();
        server = TestServer.start(data, sipPort, "--callibry.admin.password=flood-admin");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aFloodFromOneSourceDoesNotStarveAnother() throws Exception {
        long droppedBefore = LeanUdpMessageProcessor.dropped();
        CompletableFuture<OptionsSender.Counts> flood = CompletableFuture.supplyAsync(() -> {
            try {
                return OptionsSender.send(sipPort, 60_000, 15_000); // four seconds at 15,000/s: past what two cores process
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(300); // the flood is on
        OptionsSender.Counts modest = OptionsSender.send(sipPort, 120, 40); // three seconds at 40/s, inside the flood
        OptionsSender.Counts flooded = flood.get();

        // the modest source is never over its share, so the server drops none of its requests; the kernel's
        // socket buffer may lose some while the receiver is off the cores, and some may wait too long (503)
        assertThat(modest.ok()).as("the modest source is served during the flood: %s (flood: %s)", modest, flooded)
                .isGreaterThanOrEqualTo(modest.sent() / 2);
        assertThat(modest.ok() + modest.shed()).as("and answered: %s", modest).isGreaterThanOrEqualTo(modest.sent() * 3 / 4);
        long shed = flooded.shed() + flooded.unanswered();
        assertThat(shed).as("the flood's excess is shed: %s", flooded).isPositive();
        assertThat(LeanUdpMessageProcessor.dropped() - droppedBefore + flooded.shed())
                .as("shed by the server (dropped unparsed or answered 503), not only lost in the kernel: %s", flooded).isPositive();

        OptionsSender.Counts after = OptionsSender.send(sipPort, 50, 25);
        assertThat(after.ok()).as("right after the flood: %s", after).isEqualTo(50);
    }
}

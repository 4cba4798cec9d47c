package org.callibry.server.sip;

import org.callibry.server.testing.TestServer;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.callibry.shared.testing.FreePorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A flood at three times the configured capacity ({@code callibry.sip.max-requests-per-second}) is shed
 * with 503 and Retry-After rather than queued, every request still gets an answer, and the server
 * answers normally as soon as the flood stops.
 */
class OverloadIT {
    private static final int CAPACITY = 100;
    private static ConfigurableApplicationContext server;
    private static int sipPort;

    @BeforeAll
    static void start(@TempDir Path data) {
        sipPort = FreePorts.udpAndTcp();
        server = TestServer.start(data, sipPort, "--callibry.sip.max-requests-per-second=" + CAPACITY, "--callibry.admin.password=overload-admin");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aFloodAtThreeTimesCapacityIsShedAndTheServerRecovers() throws Exception {
        OptionsSender.Counts flood = OptionsSender.send(sipPort, 3 * CAPACITY * 3, 3 * CAPACITY); // three seconds at 3x
        assertThat(flood.unanswered()).as("every request answered: %s", flood).isZero();
        assertThat(flood.shed()).as("the excess is shed: %s", flood).isGreaterThan(CAPACITY * 3);
        assertThat(flood.shedWithRetryAfter()).as("503s say when to retry").isEqualTo(flood.shed());
        assertThat(flood.ok()).as("capacity is still served: %s", flood).isGreaterThanOrEqualTo(CAPACITY * 2);

        Thread.sleep(1_100);
        OptionsSender.Counts after = OptionsSender.send(sipPort, 50, 25);
        assertThat(after.ok()).as("after the flood: %s", after).isEqualTo(50);
    }
}

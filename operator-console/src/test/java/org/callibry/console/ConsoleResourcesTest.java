package org.callibry.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The console's pages sit where a servlet container serves jar resources: META-INF/resources/console/. */
class ConsoleResourcesTest {

    @Test
    void theStartPageIsPackagedForTheServer() throws IOException {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("META-INF/resources/console/index.html")) {
            assertThat(in).isNotNull();
            String html = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(html).startsWith("<!DOCTYPE html>").contains("<title>Callibry operator console</title>");
        }
    }
}

package org.callibry.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The console's files sit where the server finds them: the Thymeleaf page under {@code templates/console/},
 * its script and style where a servlet container serves jar resources ({@code META-INF/resources/console/}),
 * its text in {@code console/messages*.properties}; every message the page names exists in English and
 * Russian, and both languages have the same keys.
 */
class ConsoleResourcesTest {

    private static String read(String path) throws IOException {
        try (InputStream in = ConsoleResourcesTest.class.getClassLoader().getResourceAsStream(path)) {
            assertThat(in).as(path).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Properties messages(String path) throws IOException {
        Properties p = new Properties();
        try (InputStream in = ConsoleResourcesTest.class.getClassLoader().getResourceAsStream(path)) {
            assertThat(in).as(path).isNotNull();
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return p;
    }

    @Test
    void thePageIsATemplateThatLoadsItsScriptAndStyleFromTheServerOnly() throws IOException {
        String html = read("templates/console/index.html");
        assertThat(html).startsWith("<!DOCTYPE html>").contains("th:text=\"#{console.title}\"")
                .contains("/console/console.js").contains("/console/console.css")
                .contains("/webjars/bootstrap/5.3.8/dist/css/bootstrap.min.css");
        assertThat(Pattern.compile("(src|href)=\"(?!/[a-z])").matcher(html).find()).as("no external network calls: every src and href is a path on the server").isFalse();
        assertThat(read("META-INF/resources/console/console.css")).contains("script-text");
        assertThat(ConsoleResourcesTest.class.getClassLoader().getResource("META-INF/resources/console/index.html"))
                .as("no static page shadows the rendered one").isNull();
    }

    @Test
    void theScriptTalksJsonRpcWithABearerTokenAndNeverPutsItInThePageAddress() throws IOException {
        String js = read("META-INF/resources/console/console.js");
        assertThat(js).contains("'/api/rpc'").contains("'Authorization': 'Bearer ' + token").contains("sessionStorage")
                .contains("b.token()").contains("'/api/events?access_token='");
        assertThat(js).as("the token never goes into the address of the page or of the API")
                .doesNotContain("location.href =").doesNotContain("history.pushState").doesNotContain("rpc?access_token");
    }

    @Test
    void everyMessageThePageUsesExistsInEnglishAndRussian() throws IOException {
        Properties en = messages("console/messages.properties");
        Properties ru = messages("console/messages_ru.properties");
        assertThat(new TreeSet<>(ru.stringPropertyNames())).isEqualTo(new TreeSet<>(en.stringPropertyNames()));
        Set<String> used = new TreeSet<>();
        Matcher m = Pattern.compile("#\\{([a-zA-Z.]+)}").matcher(read("templates/console/index.html"));
        while (m.find()) {
            used.add(m.group(1));
        }
        assertThat(used).isNotEmpty();
        assertThat(en.stringPropertyNames()).containsAll(used);
        assertThat(ru.getProperty("console.title")).isEqualTo("Консоль оператора Callibry");
    }
}

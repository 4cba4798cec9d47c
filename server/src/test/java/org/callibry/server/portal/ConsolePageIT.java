package org.callibry.server.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.callibry.server.api.ApiTestSupport;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /console/} renders the console's page in the browser's language (Accept-Language) or the
 * one named by {@code lang}, English otherwise; its script, style and the Bootstrap webjars are served
 * by the server itself; the page carries no data and sets no session.
 */
class ConsolePageIT extends ApiTestSupport {
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(String path, String acceptLanguage) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (acceptLanguage != null) {
            b.header("Accept-Language", acceptLanguage);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void thePageIsRenderedInEnglishOrRussian() throws Exception {
        HttpResponse<String> en = get("/console/?callId=abc&caller=%2B7495", "en-US,en;q=0.9");
        assertThat(en.statusCode()).isEqualTo(200);
        assertThat(en.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(en.body()).contains("<title>Callibry operator console</title>").contains("Outbound call")
                .contains("Save note").contains("lang=\"en\"").doesNotContain("#{").doesNotContain("??console.");
        assertThat(en.headers().firstValue("Set-Cookie")).as("no session").isEmpty();

        HttpResponse<String> ru = get("/console/", "ru-RU,ru;q=0.9,en;q=0.5");
        assertThat(ru.body()).contains("<title>Консоль оператора Callibry</title>").contains("Исходящий звонок")
                .contains("lang=\"ru\"").doesNotContain("??console.");

        assertThat(get("/console/?lang=ru", "en").body()).as("lang wins over the browser").contains("Сохранить заметку");
        assertThat(get("/console/?lang=en", "ru").body()).contains("Save note");
        assertThat(get("/console/?lang=xx", "de").body()).as("unknown languages fall back to English").contains("Save note");
    }

    @Test
    void theAssetsComeFromTheServer() throws Exception {
        assertThat(get("/console", null).statusCode()).isEqualTo(302);
        HttpResponse<String> js = get("/console/console.js", null);
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.body()).contains("/api/rpc");
        assertThat(get("/console/console.css", null).statusCode()).isEqualTo(200);
        assertThat(get("/webjars/bootstrap/5.3.8/dist/css/bootstrap.min.css", null).statusCode()).isEqualTo(200);
        assertThat(get("/webjars/bootstrap/5.3.8/dist/js/bootstrap.bundle.min.js", null).statusCode()).isEqualTo(200);
        assertThat(get("/webjars/bootstrap-icons/1.13.1/font/bootstrap-icons.min.css", null).statusCode()).isEqualTo(200);
        assertThat(get("/webjars/bootstrap-icons/1.13.1/font/fonts/bootstrap-icons.woff2", null).statusCode()).isEqualTo(200);
    }
}

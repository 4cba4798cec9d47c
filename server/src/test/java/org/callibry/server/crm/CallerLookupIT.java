package org.callibry.server.crm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.callibry.server.api.ApiTestSupport;
import org.callibry.shared.api.ErrorCodes;
import org.callibry.shared.api.client.CallibryClient;
import org.callibry.shared.api.client.RpcErrorException;
import org.callibry.shared.api.dto.CallerLookups;
import org.callibry.shared.api.dto.Calls;
import org.callibry.shared.api.dto.Contacts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code caller.info} with a tenant's CRM lookup, against a local HTTP server as the CRM. Scenarios: the
 * CRM's card (mapped fields, auth header sent) wins over the contact and is cached for the TTL; a 404 is
 * cached and falls back to the contact; a CRM slower than the timeout falls back to the contact in time
 * and is asked again next time; a refused auth header shows in {@code callerLookup.test}; a new
 * configuration forgets the cache; the header's value is never shown; deleting the lookup leaves the
 * contacts; another tenant's lookup is out of reach, operators cannot configure, and bad templates,
 * paths and headers are refused.
 */
class CallerLookupIT extends ApiTestSupport {
    private static final String KNOWN = "+74950001";
    private static final String UNKNOWN = "+74950002";
    private static final String SLOW = "+74950003";

    private HttpServer crm;
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

    @BeforeEach
    void startCrm() throws IOException {
        crm = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        crm.createContext("/crm/", exchange -> {
            String number = URLDecoder.decode(exchange.getRequestURI().getRawPath().substring("/crm/".length()), StandardCharsets.UTF_8);
            hits.computeIfAbsent(number, k -> new AtomicInteger()).incrementAndGet();
            try {
                if (!"Bearer k1".equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                    exchange.sendResponseHeaders(401, -1);
                    return;
                }
                if (number.equals(SLOW)) {
                    Thread.sleep(1500);
                }
                if (!number.equals(KNOWN) && !number.equals(SLOW)) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                byte[] body = """
                        {"data": {"contact": {"fullName": "Anna from the CRM", "org": "Acme", "notes": "VIP since 2020"}}}"""
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                exchange.close();
            }
        });
        crm.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        crm.start();
    }

    @AfterEach
    void stopCrm() {
        crm.stop(0);
    }

    private String template() {
        return "http://127.0.0.1:" + crm.getAddress().getPort() + "/crm/{number}";
    }

    private int hits(String number) {
        return hits.getOrDefault(number, new AtomicInteger()).get();
    }

    private static CallerLookups.Set config(String template, String authHeader, String nameField) {
        return new CallerLookups.Set(null, template, authHeader, nameField, "data.contact.org", "/data/contact/notes", 300, 300, null);
    }

    @Test
    void theCrmsCardWinsIsCachedAndFallsBackToTheContacts() {
        Fixture f = fixture();
        CallibryClient customer = as(f.customer());
        for (String n : new String[] {KNOWN, UNKNOWN, SLOW}) {
            customer.contacts().create(new Contacts.Create(null, "Contact " + n, n, null, "Contact Ltd", "a note"));
        }
        CallerLookups.Lookup saved = customer.setCallerLookup(config(template(), "Authorization: Bearer k1", "data.contact.fullName"));
        assertThat(saved.authHeaderName()).isEqualTo("Authorization");
        assertThat(saved.timeoutMs()).isEqualTo(300);
        assertThat(customer.callerLookup(null)).isEqualTo(saved);
        CallibryClient operator = as(f.operator());

        Calls.CallerInfo known = operator.callerInfo(KNOWN);
        assertThat(known.card()).isEqualTo(new Calls.CallerCard("Anna from the CRM", "Acme", "VIP since 2020", "crm"));
        assertThat(known.contact().name()).isEqualTo("Contact " + KNOWN);
        assertThat(operator.callerInfo(KNOWN).card().name()).isEqualTo("Anna from the CRM");
        assertThat(hits(KNOWN)).as("the second look-up came from the cache").isEqualTo(1);

        Calls.CallerInfo unknown = operator.callerInfo(UNKNOWN);
        assertThat(unknown.card()).isEqualTo(new Calls.CallerCard("Contact " + UNKNOWN, "Contact Ltd", "a note", "contact"));
        operator.callerInfo(UNKNOWN);
        assertThat(hits(UNKNOWN)).as("a 404 is cached too").isEqualTo(1);

        long t0 = System.nanoTime();
        assertThat(operator.callerInfo(SLOW).card().source()).isEqualTo("contact");
        assertThat((System.nanoTime() - t0) / 1_000_000).as("the timeout (300 ms) bounds the wait").isLessThan(1200);
        operator.callerInfo(SLOW);
        assertThat(hits(SLOW)).as("a timeout is not cached").isEqualTo(2);

        CallerLookups.TestResult test = customer.testCallerLookup(null, KNOWN);
        assertThat(test.card().company()).isEqualTo("Acme");
        assertThat(test.status()).isEqualTo(200);
        assertThat(hits(KNOWN)).as("the test goes past the cache").isEqualTo(2);

        // the header removed: the CRM refuses, the card is the contact's; a new configuration forgets the cache
        customer.setCallerLookup(config(template(), "", "data.contact.fullName"));
        assertThat(customer.callerLookup(null).authHeaderName()).isNull();
        assertThat(operator.callerInfo(KNOWN).card().source()).isEqualTo("contact");
        assertThat(hits(KNOWN)).isEqualTo(3);
        CallerLookups.TestResult refused = customer.testCallerLookup(null, KNOWN);
        assertThat(refused.card()).isNull();
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.error()).isEqualTo("HTTP 401");

        customer.setCallerLookup(config(template(), "Authorization: Bearer k1", "data.contact.missing"));
        assertThat(operator.callerInfo(KNOWN).card().source()).as("no name in the answer: the contact").isEqualTo("contact");

        customer.deleteCallerLookup(null);
        assertThat(customer.callerLookup(null)).isNull();
        int before = hits(KNOWN);
        assertThat(operator.callerInfo(KNOWN).card().source()).isEqualTo("contact");
        assertThat(hits(KNOWN)).isEqualTo(before);
        assertThat(operator.callerInfo("+70000000000").card()).as("nobody knows it").isNull();
    }

    @Test
    void aTenantConfiguresOnlyItsOwnLookupWithSafeSettings() {
        Fixture a = fixture();
        Fixture b = fixture();
        CallibryClient customerA = as(a.customer());
        customerA.setCallerLookup(config(template(), "X-Api-Key: secret-value", "name"));
        CallibryClient customerB = as(b.customer());
        assertThat(customerB.callerLookup(null)).isNull();
        assertThatThrownBy(() -> customerB.callerLookup(a.tenant().id())).isInstanceOfSatisfying(RpcErrorException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCodes.FORBIDDEN));
        assertThatThrownBy(() -> customerB.testCallerLookup(a.tenant().id(), KNOWN)).isInstanceOfSatisfying(RpcErrorException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCodes.FORBIDDEN));
        assertThatThrownBy(() -> as(a.operator()).setCallerLookup(config(template(), null, "name")))
                .isInstanceOfSatisfying(RpcErrorException.class, e -> assertThat(e.code()).isEqualTo(ErrorCodes.FORBIDDEN));
        assertThat(admin().callerLookup(a.tenant().id()).authHeaderName()).isEqualTo("X-Api-Key");
        assertThat(admin().callerLookup(a.tenant().id()).toString()).doesNotContain("secret-value");

        Map<String, CallerLookups.Set> bad = Map.of(
                "urlTemplate", config("http://127.0.0.1:1/crm/", null, "name"),
                "urlTemplate ", config("http://169.254.169.254/latest/{number}", null, "name"),
                " urlTemplate", config("http://user:pw@crm.example.com/{number}", null, "name"),
                "nameField", config(template(), null, "data..name"),
                "authHeader", config(template(), "NoColonHere", "name"),
                "authHeader ", config(template(), "Host: evil.example.com", "name"));
        bad.forEach((field, params) -> assertThatThrownBy(() -> customerB.setCallerLookup(params)).as(field)
                .isInstanceOfSatisfying(RpcErrorException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCodes.INVALID_PARAMS);
                    assertThat(e.field()).isEqualTo(field.strip());
                }));
        assertThat(customerB.callerLookup(null)).isNull();
    }
}

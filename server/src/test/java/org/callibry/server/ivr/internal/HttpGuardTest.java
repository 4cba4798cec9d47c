package org.callibry.server.ivr.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The IVR's lookups reach public hosts, and the server's own network only under an allowed prefix. */
class HttpGuardTest {
    private final HttpGuard guard = new HttpGuard(List.of("http://127.0.0.1:8080/demo/", " http://10.1.2.3/crm/ "));

    @Test
    void publicHostsAreFetched() {
        assertThat(guard.refuse(URI.create("https://93.184.216.34/balance?n=1"))).isEmpty();
        assertThat(guard.refuse(URI.create("http://[2606:2800:220:1::1]/x"))).isEmpty();
    }

    @Test
    void theServersOwnNetworkIsRefusedWithTheReason() {
        for (String url : List.of("http://127.0.0.1:8080/api/rpc", "http://localhost/", "http://10.0.0.5/", "http://192.168.1.1/",
                "http://172.16.0.1/", "http://169.254.169.254/latest/meta-data/", "http://100.64.0.1/", "http://0.0.0.0:8080/",
                "http://[::1]/", "http://[fd00::1]/", "http://[fe80::1]/")) {
            assertThat(guard.refuse(URI.create(url))).as(url).hasValueSatisfying(r -> assertThat(r).contains("own network"));
        }
    }

    @Test
    void allowedPrefixesOpenTheirPathOnly() {
        assertThat(guard.refuse(URI.create("http://127.0.0.1:8080/demo/balance?number=1001"))).isEmpty();
        assertThat(guard.refuse(URI.create("http://10.1.2.3/crm/lookup"))).isEmpty();
        assertThat(guard.refuse(URI.create("http://127.0.0.1:8080/api/rpc"))).isPresent();
        assertThat(guard.refuse(URI.create("http://10.1.2.3/admin"))).isPresent();
    }

    @Test
    void prefixesMatchOnWholeSegmentsWithoutTricks() {
        assertThat(guard.refuse(URI.create("http://127.0.0.1:8080/demo/../api/rpc"))).as("dot segments").isPresent();
        assertThat(guard.refuse(URI.create("http://127.0.0.1:8080/demo/%2e%2e/api/rpc"))).as("encoded dots").isPresent();
        assertThat(guard.refuse(URI.create("http://10.1.2.3/crm-admin/x"))).as("a longer segment").isPresent();
        assertThat(guard.refuse(URI.create("http://10.1.2.3:81/crm/x"))).as("another port").isPresent();
        assertThat(guard.refuse(URI.create("http://127.0.0.1:8080@169.254.169.254/demo/x"))).as("user info").isPresent();
        assertThat(new HttpGuard(List.of("http://127.0.0.1:*/")).refuse(URI.create("http://127.0.0.1:45123/balance"))).isEmpty();
    }

    @Test
    void otherSchemesAreRefused() {
        assertThat(guard.refuse(URI.create("file:///etc/passwd"))).hasValueSatisfying(r -> assertThat(r).contains("file"));
        assertThat(guard.refuse(URI.create("ftp://93.184.216.34/x"))).isPresent();
    }
}

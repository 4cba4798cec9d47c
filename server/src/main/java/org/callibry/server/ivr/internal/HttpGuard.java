package org.callibry.server.ivr.internal;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.callibry.server.crm.UrlGuard;

/**
 * Which URLs a scenario's {@code http} node may fetch: the rule of {@link UrlGuard} (no addresses of the
 * server's own network unless listed in {@code callibry.ivr.http.allow}), shared with the CRM's webhooks
 * and lookups.
 */
final class HttpGuard {
    private final UrlGuard guard;

    HttpGuard(List<String> allowedPrefixes) {
        this.guard = new UrlGuard(allowedPrefixes, "callibry.ivr.http.allow");
    }

    /** Empty when {@code url} may be fetched, else why not. */
    Optional<String> refuse(URI url) {
        return guard.refuse(url);
    }

    static boolean internal(InetAddress a) {
        return UrlGuard.internal(a);
    }
}

package org.callibry.server.crm.internal;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.callibry.shared.api.dto.CallerLookups;

/** One tenant's CRM caller lookup as stored, the auth header's value included. */
record LookupConfig(long tenantId, String urlTemplate, String authHeaderName, String authHeaderValue, String nameField,
                    String companyField, String notesField, int timeoutMs, int cacheTtlSeconds, boolean enabled,
                    Instant updatedAt) {

    /** The URL for {@code number}: the template with {@code {number}} and {@code {tenantId}} filled in, URL-encoded. */
    URI url(String number) {
        return URI.create(urlTemplate.replace("{number}", URLEncoder.encode(number, StandardCharsets.UTF_8))
                .replace("{tenantId}", Long.toString(tenantId)));
    }

    /** As the API shows it: without the auth header's value. */
    CallerLookups.Lookup view() {
        return new CallerLookups.Lookup(tenantId, urlTemplate, authHeaderName, nameField, companyField, notesField, timeoutMs,
                cacheTtlSeconds, enabled, updatedAt);
    }
}

package org.callibry.shared.api.dto;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/**
 * A tenant's CRM caller lookup: {@code caller.info} asks the tenant's CRM over HTTP who a number is
 * ({@code GET} the URL template with {@code {number}} filled in, an optional auth header), reads name,
 * company and notes from the JSON answer by the field mapping, caches the answer, and falls back to
 * the tenant's contacts when the CRM does not know the number, fails or is too slow.
 */
public final class CallerLookups {
    private CallerLookups() {
    }

    /**
     * A tenant's lookup.
     *
     * @param urlTemplate   {@code http(s)} URL with {@code {number}} (URL-encoded) and optionally {@code {tenantId}}
     * @param authHeaderName the name of the header sent with each lookup, or null; its value is never shown
     * @param nameField     where the name is in the answer: a dotted path ({@code data.contact.name},
     *                      {@code items.0.name}) or a JSON pointer ({@code /data/contact/name})
     * @param timeoutMs     longest a lookup may take before the contacts answer instead
     * @param cacheTtlSeconds how long an answer (a match, or "unknown") is reused; 0: never
     */
    public record Lookup(long tenantId, String urlTemplate, String authHeaderName, String nameField, String companyField,
                         String notesField, int timeoutMs, int cacheTtlSeconds, boolean enabled, Instant updatedAt) {
    }

    public record GetParams(@Positive Long tenantId) {
    }

    /**
     * {@code callerLookup.set}: creates or replaces the tenant's lookup. {@code authHeader} is
     * {@code Name: value} (e.g. {@code Authorization: Bearer abc}); null keeps the one stored, an empty
     * string removes it.
     */
    public record Set(@Positive Long tenantId, @NotBlank @Size(max = 2000) String urlTemplate, @Size(max = 2000) String authHeader,
                      @NotBlank @Size(max = 200) String nameField, @Size(max = 200) String companyField,
                      @Size(max = 200) String notesField, @Min(100) @Max(10_000) Integer timeoutMs,
                      @Min(0) @Max(86_400) Integer cacheTtlSeconds, Boolean enabled) {
    }

    /** {@code callerLookup.test}: looks a number up now, past the cache, and says what came back. */
    public record TestParams(@Positive Long tenantId, @NotBlank @Size(max = 64) String number) {
    }

    /**
     * @param card   what the CRM said, or null (unknown number, or an error)
     * @param status the HTTP status, or null when there was no answer
     * @param error  why there is no card, or null
     */
    public record TestResult(Calls.CallerCard card, Integer status, String error, long tookMs) {
    }
}

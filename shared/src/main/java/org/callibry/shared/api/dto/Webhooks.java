package org.callibry.shared.api.dto;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;

/**
 * Webhooks: a tenant's subscriptions to call events. Each event is POSTed as JSON to the URL, signed
 * with HMAC-SHA256 of {@code <timestamp>.<body>} under the subscription's secret
 * ({@code X-Callibry-Signature: sha256=<hex>}, {@code X-Callibry-Timestamp: <unix seconds>}), retried
 * with exponential back-off, in order per call; every attempt is in the delivery log.
 */
public final class Webhooks {
    private Webhooks() {
    }

    /** The events a webhook may subscribe to, by their wire names. */
    public static final List<String> EVENTS = List.of("call.offered", "call.answered", "call.ended", "queue.abandoned",
            "recording.ready");

    /**
     * A subscription.
     *
     * @param secret the signing secret: only in the answer of {@code webhook.create} (and of an update that
     *               sets it); null when read back
     */
    public record Webhook(long id, long tenantId, String url, List<String> events, boolean enabled, String secret,
                          Instant createdAt, Instant updatedAt) {
    }

    /**
     * A new subscription; {@code tenantId} defaults to the caller's tenant, {@code secret} (16-200
     * characters) is made up when absent and returned once, {@code enabled} defaults to true.
     */
    public record Create(@Positive Long tenantId, @NotBlank @Size(max = 2000) String url,
                         @NotNull @Size(min = 1, max = 5) List<@NotBlank String> events,
                         @Size(min = 16, max = 200) String secret, Boolean enabled) {
    }

    /** A change: null fields keep their value. */
    public record Update(@NotNull @Positive Long id, @Size(min = 1, max = 2000) String url,
                         @Size(min = 1, max = 5) List<@NotBlank String> events, @Size(min = 16, max = 200) String secret,
                         Boolean enabled) {
    }

    public record ListParams(@Positive Long tenantId) {
    }

    public enum Status {
        /** Waiting for its (next) attempt, or for an earlier event of the same call. */
        PENDING,
        /** A 2xx answer. */
        DELIVERED,
        /** Every attempt failed. */
        FAILED
    }

    /**
     * {@code webhook.deliveries}: the delivery log, newest first; every field optional.
     *
     * @param webhookId one subscription's deliveries
     * @param callId    the deliveries of one call
     */
    public record DeliveriesParams(@Positive Long webhookId, @Size(max = 200) String callId, @Positive Long tenantId,
                                   @Min(0) Integer offset, @Min(1) @Max(500) Integer limit) {
    }

    /**
     * One event to one subscription.
     *
     * @param eventId    the event's id (the body's {@code id}; the same for every subscription it went to)
     * @param attempts   attempts made so far
     * @param statusCode the last attempt's HTTP status, or null (no answer)
     * @param error      why the last attempt failed, or null
     * @param nextAttemptAt when it is tried again (pending), or null
     */
    public record Delivery(long id, long webhookId, long tenantId, String eventId, String type, String callId, Status status,
                           int attempts, Integer statusCode, String error, Instant createdAt, Instant lastAttemptAt,
                           Instant nextAttemptAt, Instant deliveredAt) {
    }
}

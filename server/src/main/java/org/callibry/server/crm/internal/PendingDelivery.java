package org.callibry.server.crm.internal;

import java.time.Instant;
import java.util.UUID;

/**
 * One event for one subscription, on its way from the event's publisher to the {@code webhook_delivery}
 * table (through {@link org.callibry.server.storage.SpooledWriter}'s queue, or its spool on disk).
 *
 * @param body the JSON body, made once when the event happened
 */
record PendingDelivery(UUID eventId, long webhookId, long tenantId, String type, String callId, String body, Instant at) {
}

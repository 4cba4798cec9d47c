package org.callibry.server.crm;

import org.callibry.shared.api.dto.Calls;

/**
 * Who a number is, for a tenant: the tenant's CRM lookup when it knows the number, else the tenant's
 * contact with that number, else nobody. Blocks at most the lookup's timeout (answers are cached); for
 * call cards, {@code caller.info} and IVR scenarios, never for the signaling path.
 */
public interface CallerCards {

    /** The card of {@code number} in {@code tenantId}, or null when neither the CRM nor the contacts know it. */
    Calls.CallerCard card(long tenantId, String number);
}

package org.callibry.server.sip;

/**
 * The number of an account's registered contacts changed (registered, unregistered, expired), with
 * the number now registered (pushed as {@code account.registration}).
 */
public record RegistrationChanged(long accountId, Long tenantId, int contacts) {
}

package org.callibry.server.api;

/** A user's password, role, tenant or enabled flag changed, or the user was deleted: its sessions must be checked again. */
public record CredentialsChanged(long userId, boolean revokeTokens) {
}

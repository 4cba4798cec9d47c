package org.callibry.shared.api.dto;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import org.callibry.shared.api.Role;

/** Parameters and results of {@code auth.*}. */
public final class Auth {
    private Auth() {
    }

    public record Login(@NotBlank @Size(max = 64) String user, @NotBlank @Size(max = 128) String password) {
    }

    /** The bearer token to send as {@code Authorization: Bearer <token>}, and who it belongs to. */
    public record LoginResult(String token, Instant expiresAt, Identity identity) {
    }

    public record Identity(long userId, String username, Role role, Long tenantId) {
    }
}

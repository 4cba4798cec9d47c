package org.callibry.shared.api.dto;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import org.callibry.shared.api.Role;

/** API users (people who log in to the portal, the desktop apps or the API) and their roles. */
public final class Users {
    private Users() {
    }

    public static final String USERNAME_PATTERN = "^[A-Za-z0-9._@-]{2,64}$";

    public record User(long id, String username, String displayName, Role role, Long tenantId, Long accountId,
                       boolean enabled, Instant createdAt, Instant updatedAt) {
    }

    public record Create(@NotBlank @Pattern(regexp = USERNAME_PATTERN, message = "must be 2-64 of A-Z a-z 0-9 . _ @ -") String username,
                         @NotNull @Size(min = 8, max = 128) String password,
                         @NotNull Role role,
                         @Positive Long tenantId,
                         @Positive Long accountId,
                         @Size(max = 100) String displayName,
                         Boolean enabled) {
    }

    /** Partial update: a null field keeps its value. The tenant of a user never changes. */
    public record Update(@NotNull @Positive Long id, @Size(max = 100) String displayName,
                         @Size(min = 8, max = 128) String password, Role role, @Positive Long accountId,
                         Boolean enabled) {
    }

    public record ListParams(@Positive Long tenantId, Role role, @Size(max = 100) String query,
                             @Min(0) Integer offset, @Min(1) @Max(500) Integer limit) {
    }
}

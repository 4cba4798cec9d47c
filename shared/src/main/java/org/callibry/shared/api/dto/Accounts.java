package org.callibry.shared.api.dto;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/**
 * SIP accounts (extensions). The password is write-only: the server keeps the digest HA1 values
 * (RFC 3261 §22.4 MD5, RFC 7616 SHA-256) and never returns them.
 */
public final class Accounts {
    private Accounts() {
    }

    /** The user part of a SIP URI that an account number may use: unreserved characters (RFC 3261 §25.1). */
    public static final String NUMBER_PATTERN = "^[A-Za-z0-9._+-]{1,64}$";

    /**
     * @param registeredContacts contacts registered right now (0: offline)
     * @param registeredUntil    expiry of the longest registration, or null when offline
     */
    public record Account(long id, long tenantId, long domainId, String domain, String number,
                          String displayName, boolean enabled, Instant createdAt, Instant updatedAt,
                          int registeredContacts, Instant registeredUntil) {
        public boolean online() {
            return registeredContacts > 0;
        }
    }

    public record Create(@NotNull @Positive Long domainId,
                         @NotBlank @Pattern(regexp = NUMBER_PATTERN, message = "must be 1-64 of A-Z a-z 0-9 . _ + -") String number,
                         @Size(max = 100) String displayName,
                         @NotNull @Size(min = 8, max = 128) String password,
                         Boolean enabled) {
    }

    /** Partial update: a null field keeps its value; a new password replaces the digests. */
    public record Update(@NotNull @Positive Long id, @Size(max = 100) String displayName,
                         @Size(min = 8, max = 128) String password, Boolean enabled) {
    }

    public record ListParams(@Positive Long tenantId, @Positive Long domainId, @Size(max = 100) String query,
                             Boolean enabled, @Min(0) Integer offset, @Min(1) @Max(500) Integer limit) {
    }
}

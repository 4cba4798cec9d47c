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
 * SIP domains. The name is the digest realm of its accounts, so it cannot change once accounts exist
 * under it. One domain may be the local alias: requests addressed to the server's own addresses
 * (e.g. {@code sip:1001@127.0.0.1}) belong to it.
 */
public final class Domains {
    private Domains() {
    }

    /** A DNS host name (RFC 1123 labels) or an IPv4 address. */
    public static final String NAME_PATTERN =
            "^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$";

    public record Domain(long id, long tenantId, String name, boolean localAlias, Instant createdAt,
                         Instant updatedAt) {
    }

    public record Create(@NotNull @Positive Long tenantId,
                         @NotBlank @Pattern(regexp = NAME_PATTERN, message = "must be a host name") String name,
                         Boolean localAlias) {
    }

    public record Update(@NotNull @Positive Long id, Boolean localAlias) {
    }

    public record ListParams(@Positive Long tenantId, @Size(max = 100) String query, @Min(0) Integer offset,
                             @Min(1) @Max(500) Integer limit) {
    }
}

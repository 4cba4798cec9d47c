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
 * Trusted SIP peers: trunks, gateways and other switches identified by the address they send from.
 * Their requests are routed without digest authentication; calls from them belong to {@code tenantId}.
 */
public final class Peers {
    private Peers() {
    }

    /** An IPv4 or IPv6 address, optionally with a /prefix. */
    public static final String ADDRESS_PATTERN = "^[0-9A-Fa-f:.]+(/\\d{1,3})?$";

    public record Peer(long id, String name, String address, Long tenantId, boolean enabled, Instant createdAt,
                       Instant updatedAt) {
    }

    public record Create(@NotBlank @Size(max = 100) String name,
                         @NotBlank @Pattern(regexp = ADDRESS_PATTERN, message = "must be an IP address or CIDR block") String address,
                         @Positive Long tenantId, Boolean enabled) {
    }

    public record Update(@NotNull @Positive Long id, @Size(min = 1, max = 100) String name,
                         @Pattern(regexp = ADDRESS_PATTERN, message = "must be an IP address or CIDR block") String address,
                         Boolean enabled) {
    }

    public record ListParams(@Size(max = 100) String query, @Min(0) Integer offset, @Min(1) @Max(500) Integer limit) {
    }
}

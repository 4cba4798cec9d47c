package org.callibry.shared.api.dto;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/** Tenants: the operator's business customers, each owning domains, accounts, users and files. */
public final class Tenants {
    private Tenants() {
    }

    /** @param timeZone IANA time zone of the tenant's "today" (queue statistics, KPIs, business hours); UTC by default */
    public record Tenant(long id, String name, String description, boolean enabled, Instant createdAt,
                         Instant updatedAt, String timeZone) {
    }

    public record Create(@NotBlank @Size(max = 100) String name, @Size(max = 1000) String description,
                         Boolean enabled, @Size(max = 64) String timeZone) {

        public Create(String name, String description, Boolean enabled) {
            this(name, description, enabled, null);
        }
    }

    /** Partial update: a null field keeps its value. */
    public record Update(@NotNull @Positive Long id, @Size(min = 1, max = 100) String name,
                         @Size(max = 1000) String description, Boolean enabled, @Size(max = 64) String timeZone) {

        public Update(Long id, String name, String description, Boolean enabled) {
            this(id, name, description, enabled, null);
        }
    }

    public record ListParams(@Size(max = 100) String query, @Min(0) Integer offset, @Min(1) @Max(500) Integer limit) {
    }
}

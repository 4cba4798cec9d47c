package org.callibry.shared.api.dto;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;

/**
 * A tenant's holiday calendar: dates with names, in the tenant's time zone. IVR {@code time} nodes
 * take their holiday branch on these dates (queues' closed hours and campaign schedules are to obey
 * them too). A date is unique per tenant.
 */
public final class Holidays {
    private Holidays() {
    }

    public record Holiday(long id, long tenantId, LocalDate date, String name) {
    }

    public record Create(@Positive Long tenantId, @NotNull LocalDate date, @NotBlank @Size(max = 100) String name) {
    }

    /** A null field keeps its value. */
    public record Update(@NotNull @Positive Long id, LocalDate date, @Size(min = 1, max = 100) String name) {
    }

    /** The holidays of a tenant, optionally of one year, in date order. */
    public record ListParams(@Positive Long tenantId, Integer year) {
    }
}

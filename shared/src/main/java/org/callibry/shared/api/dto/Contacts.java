package org.callibry.shared.api.dto;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/** The company directory of a tenant: people and numbers its operators call. */
public final class Contacts {
    private Contacts() {
    }

    /** A dialable number: digits with an optional leading +, or a SIP user part. */
    public static final String NUMBER_PATTERN = "^\\+?[A-Za-z0-9._*#-]{1,64}$";

    public record Contact(long id, long tenantId, String name, String number, String email, String company,
                          String note, Instant createdAt, Instant updatedAt) {
    }

    public record Create(@Positive Long tenantId, @NotBlank @Size(max = 200) String name,
                         @NotBlank @Pattern(regexp = NUMBER_PATTERN, message = "must be a dialable number") String number,
                         @Email @Size(max = 200) String email, @Size(max = 200) String company,
                         @Size(max = 2000) String note) {
    }

    /** Partial update: a null field keeps its value. */
    public record Update(@NotNull @Positive Long id, @Size(min = 1, max = 200) String name,
                         @Pattern(regexp = NUMBER_PATTERN, message = "must be a dialable number") String number,
                         @Email @Size(max = 200) String email, @Size(max = 200) String company,
                         @Size(max = 2000) String note) {
    }

    public record ListParams(@Positive Long tenantId, @Size(max = 100) String query, @Min(0) Integer offset,
                             @Min(1) @Max(500) Integer limit) {
    }
}

package org.callibry.shared.api.dto;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

/** Parameters of the {@code get} and {@code delete} methods. */
public record IdParams(@NotNull @Positive Long id) {
    public static IdParams of(long id) {
        return new IdParams(id);
    }
}

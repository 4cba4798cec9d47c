package org.callibry.shared.api.dto;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/**
 * Audio files (prompts, music on hold). Uploaded with {@code POST /api/audio} (multipart: {@code file},
 * {@code name}, optional {@code tenantId}) and downloaded with {@code GET /api/audio/{id}}; the JSON-RPC
 * methods list, rename and delete them.
 */
public final class AudioFiles {
    private AudioFiles() {
    }

    public record AudioFile(long id, long tenantId, String name, String fileName, String contentType,
                            long sizeBytes, String sha256, Instant createdAt, Instant updatedAt) {
    }

    public record Update(@NotNull @Positive Long id, @Size(min = 1, max = 200) String name) {
    }

    public record ListParams(@Positive Long tenantId, @Size(max = 100) String query, @Min(0) Integer offset,
                             @Min(1) @Max(500) Integer limit) {
    }
}

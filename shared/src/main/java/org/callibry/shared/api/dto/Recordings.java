package org.callibry.shared.api.dto;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/**
 * Call recordings: MP3 files of recorded calls, listed and deleted with {@code recording.*} and
 * downloaded (with HTTP Range support, for players that seek) with {@code GET /api/recordings/{id}.mp3}.
 */
public final class Recordings {
    private Recordings() {
    }

    /** Where a recording stands: converting from WAV to MP3, ready to play, or failed. */
    public enum State { CONVERTING, READY, FAILED }

    /**
     * One recorded call.
     *
     * @param durationMs length of the audio
     * @param channels   1 (both sides mixed) or 2 (caller left, callee right)
     * @param sizeBytes  size of the MP3 file (0 until it is ready)
     * @param error      null, or why the recording is incomplete or failed
     */
    public record Recording(long id, Long tenantId, String callId, String aNumber, String bNumber, Instant startedAt,
                            long durationMs, int channels, long sizeBytes, State state, String error, Instant createdAt) {
    }

    /**
     * {@code recording.list}: every field optional, combined with "and"; newest first.
     *
     * @param callId   recordings of this SIP Call-ID
     * @param number   A- or B-number starts with this
     * @param timeFrom calls started at or after this instant
     * @param timeTo   calls started before this instant
     * @param tenantId only this tenant's recordings (a tenant-bound caller gets its own anyway)
     */
    public record ListParams(@Size(max = 256) String callId, @Size(max = 64) String number, Instant timeFrom,
                             Instant timeTo, @Positive Long tenantId, @Min(0) Integer offset,
                             @Min(1) @Max(500) Integer limit) {

        public static ListParams all() {
            return new ListParams(null, null, null, null, null, null, null);
        }

        public static ListParams ofCall(String callId) {
            return new ListParams(callId, null, null, null, null, null, null);
        }
    }
}

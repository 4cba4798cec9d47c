package org.callibry.server.recording;

import java.time.Instant;

/**
 * A call recording is ready: converted to MP3, catalogued and downloadable as
 * {@code GET /api/recordings/{recordingId}.mp3}. Published by the converter's thread, off the media path.
 */
public record RecordingReady(long recordingId, String callId, Long tenantId, String aNumber, String bNumber,
                             Instant startedAt, long durationMs, int channels, long sizeBytes) {
}

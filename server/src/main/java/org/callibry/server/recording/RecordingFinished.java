package org.callibry.server.recording;

import java.nio.file.Path;
import java.time.Instant;

/**
 * A call recording has been closed: {@code wav} is a complete 8 kHz 16-bit PCM WAV file (one channel
 * mixed, or two: caller left, callee right) waiting to be converted to MP3 and catalogued. Published
 * off the media path.
 *
 * @param error null, or why the recording is incomplete (disk full, ...); the WAV holds what was written
 */
public record RecordingFinished(String callId, Long tenantId, String aNumber, String bNumber, Path wav, int channels,
                                Instant startedAt, Instant endedAt, String error) {
}

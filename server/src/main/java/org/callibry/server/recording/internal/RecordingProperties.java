package org.callibry.server.recording.internal;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * {@code callibry.media.recording.*}: where call recordings go, how they are encoded and how long
 * they are kept.
 *
 * @param dir              recordings, one sub-directory per tenant ({@code 0}: no tenant)
 * @param mp3Bitrate       MP3 bit rate in kbit/s (8-160 for 8 kHz audio)
 * @param retention        recordings older than this are deleted by the daily clean-up
 * @param converterThreads WAV-to-MP3 conversions at once, off the call path
 * @param minFreeSpace     below this much free disk space no new recording starts and health is DOWN
 */
@ConfigurationProperties("callibry.media.recording")
public record RecordingProperties(Path dir, int mp3Bitrate, Duration retention, int converterThreads, DataSize minFreeSpace) {

    public RecordingProperties {
        if (mp3Bitrate < 8 || mp3Bitrate > 160) {
            throw new IllegalArgumentException("callibry.media.recording.mp3-bitrate must be 8-160 kbit/s: " + mp3Bitrate);
        }
        if (converterThreads < 1) {
            throw new IllegalArgumentException("callibry.media.recording.converter-threads must be positive");
        }
        if (retention == null || retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("callibry.media.recording.retention must be positive");
        }
        if (minFreeSpace == null) {
            minFreeSpace = DataSize.ofMegabytes(500);
        }
    }
}

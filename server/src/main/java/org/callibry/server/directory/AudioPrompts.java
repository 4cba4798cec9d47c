package org.callibry.server.directory;

import java.util.Optional;

/**
 * The audio files of the library in the media server's playback format: 8 kHz mono 16-bit samples.
 * Every upload is converted once when it is stored; a file stored before that conversion existed is
 * converted on its first use.
 */
public interface AudioPrompts {

    /** The samples of audio file {@code audioFileId} if it exists and belongs to {@code tenantId}. */
    Optional<short[]> playback(long tenantId, long audioFileId);
}

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

    /**
     * The samples of the tenant's audio file named {@code name}, compared without regard to case (as
     * names are unique); empty when the tenant has no such file.
     */
    Optional<short[]> playbackByName(long tenantId, String name);

    /**
     * The tenant's music on hold: its audio files whose name starts with {@code moh} (any case), in name
     * order, as one playlist; empty when it has none (the caller then plays the default music).
     */
    java.util.List<short[]> musicOnHold(long tenantId);
}

package org.callibry.server.directory;

import java.nio.file.Path;

/**
 * Stores audio into a tenant's library from inside the server (an IVR caller's recorded message), as
 * an upload through the API would: converted once to the playback format, named uniquely per tenant.
 */
public interface AudioUploads {

    /**
     * Stores the WAV or MP3 file {@code audio} as tenant {@code tenantId}'s audio file {@code name} and
     * returns its id; when the name is taken, a suffix ({@code -2}, {@code -3}, ...) makes it unique.
     *
     * @throws IllegalArgumentException when the file is empty or not audio
     */
    long store(long tenantId, String name, Path audio);
}

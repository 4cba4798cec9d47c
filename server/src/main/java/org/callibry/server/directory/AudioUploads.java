package org.callibry.server.directory;

import java.io.InputStream;
import java.util.Optional;

/**
 * Adds files to a tenant's audio library from inside the server (demo data such as the dialer's demo
 * campaign message), with the same checks and conversion as an upload to {@code POST /api/audio}.
 */
public interface AudioUploads {

    /** The id of the tenant's audio file named {@code name} (compared without regard to case), if any. */
    Optional<Long> idOf(long tenantId, String name);

    /** Stores a WAV or MP3 as the tenant's audio file {@code name}; returns its id. */
    long add(long tenantId, String name, String fileName, InputStream content);
}

package org.callibry.server.media;

import java.util.Optional;

/**
 * The media server of this deployment: applications register under a service kind, and the
 * signaling side asks where to send a call for a service (the least-loaded healthy media node).
 */
public interface MediaServices {

    /** Service kinds, as the route destinations name them. */
    String ECHO = "echo";
    String MUSIC_ON_HOLD = "moh";

    void register(String kind, MediaApplication application);

    /**
     * The SIP URI a call for {@code kind} (and its {@code name}: queue, IVR, ...) goes to, or empty when no
     * media server is up.
     */
    Optional<String> uri(String kind, String name, String calledNumber);
}

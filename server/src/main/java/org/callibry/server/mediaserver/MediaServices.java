package org.callibry.server.mediaserver;

import java.util.Optional;

/**
 * The media server of this deployment: applications register under a service kind, and the
 * signaling side asks where to send a call for a service (the least-loaded healthy media node).
 */
public interface MediaServices {

    /** Service kinds, as the route destinations name them. */
    String ECHO = "echo";
    String MUSIC_ON_HOLD = "moh";

    /**
     * The header with which the proxy tells the media server the caller's tenant (music, prompts,
     * recordings); the proxy removes it from every request it did not add it to, and sets it on calls
     * the media server originates only after checking they come from a media server.
     */
    String TENANT_HEADER = "X-Callibry-Tenant";

    void register(String kind, MediaApplication application);

    /**
     * The SIP URI a call for {@code kind} (and its {@code name}: queue, IVR, ...) goes to, or empty when no
     * media server is up.
     */
    Optional<String> uri(String kind, String name, String calledNumber);

    /**
     * Calls {@code number} from the media server through the signaling node's routing (as the tenant's
     * caller {@code callerId}): completes with the answered session, or exceptionally when the call fails
     * or is not answered within {@code ringTimeout}.
     */
    java.util.concurrent.CompletableFuture<MediaSession> originate(String number, String callerId, Long tenantId,
                                                                   java.time.Duration ringTimeout);

    /** True when {@code ip:port} is the SIP endpoint of one of our media servers (a trusted source for the proxy). */
    boolean isMediaServer(String ip, int port);
}

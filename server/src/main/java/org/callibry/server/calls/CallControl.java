package org.callibry.server.calls;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The call-control API for applications (echo, music on hold, and the queues, IVR and dialer to come):
 * an application registers under a service kind and gets every call a route sends to that service as
 * a {@link CallSession} (answer, reject, play, collect digits, record, bridge, transfer, hang up), on a
 * virtual thread of its own; {@link #originate} places a call from the media server through the proxy
 * and its routing. Owned by {@code sip}; the media server's user agent implements it (see ADR 0011).
 */
public interface CallControl {

    /** Service kinds, as the route destinations name them. */
    String ECHO = "echo";
    String MUSIC_ON_HOLD = "moh";

    /** Sends the calls routed to service {@code kind} to {@code application} (replacing one registered before). */
    void register(String kind, CallApplication application);

    /**
     * Calls {@code number} from the media server through the signaling node's routing (as the tenant's
     * caller {@code callerId}): completes with the answered session, or exceptionally when the call fails
     * or is not answered within {@code ringTimeout}.
     */
    default CompletableFuture<CallSession> originate(String number, String callerId, Long tenantId, Duration ringTimeout) {
        return originate(number, callerId, tenantId, ringTimeout, null);
    }

    /**
     * Like {@link #originate(String, String, Long, Duration)}, as a leg of call {@code callId} (a
     * session's {@link CallSession#callId()}): its events and detail record carry that call id, so a
     * queue call and its agent's leg are one call. Null: a call of its own.
     */
    CompletableFuture<CallSession> originate(String number, String callerId, Long tenantId, Duration ringTimeout, String callId);
}

package org.callibry.server.calls;

import java.time.Duration;
import java.util.Map;
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
    String QUEUE = "queue";
    String IVR = "ivr";

    /** Sends the calls routed to service {@code kind} to {@code application} (replacing one registered before). */
    void register(String kind, CallApplication application);

    /**
     * The application registered for service {@code kind}: the dialer hands an answered outbound call to
     * the queue or IVR application with it (wrapped in a {@link ForwardingCallSession} naming the queue or
     * scenario), as a route would hand an inbound call. Empty by default; the media server, which runs the
     * applications, answers.
     */
    default java.util.Optional<CallApplication> application(String kind) {
        return java.util.Optional.empty();
    }

    /**
     * Calls {@code number} from the media server through the signaling node's routing (as the tenant's
     * caller {@code callerId}): completes with the answered session, or exceptionally when the call fails
     * or is not answered within {@code ringTimeout} (with a {@link CallFailedException} that says why).
     */
    default CompletableFuture<CallSession> originate(String number, String callerId, Long tenantId, Duration ringTimeout) {
        return originate(number, callerId, tenantId, ringTimeout, null);
    }

    /**
     * Like {@link #originate(String, String, Long, Duration)}, as a leg of call {@code callId} (a
     * session's {@link CallSession#callId()}): its events and detail record carry that call id, so a
     * queue call and its agent's leg are one call. Null: a call of its own.
     */
    default CompletableFuture<CallSession> originate(String number, String callerId, Long tenantId, Duration ringTimeout,
                                                     String callId) {
        return originate(new Originate(number, callerId, tenantId, ringTimeout, callId, Map.of()));
    }

    /**
     * Places the call {@code request} describes. Cancelling the returned future before the answer
     * cancels the call (CANCEL); a session answered at the same moment is hung up.
     */
    CompletableFuture<CallSession> originate(Originate request);

    /**
     * An outbound call: {@code number} through the routing as the tenant's caller {@code callerId},
     * ringing at most {@code ringTimeout}, as a leg of {@code callId} (null: a call of its own), with
     * extra SIP headers (e.g. {@code X-Callibry-Queue}) the called phone sees.
     */
    record Originate(String number, String callerId, Long tenantId, Duration ringTimeout, String callId,
                     Map<String, String> headers) {
        public Originate {
            headers = headers == null ? Map.of() : Map.copyOf(headers);
        }
    }
}

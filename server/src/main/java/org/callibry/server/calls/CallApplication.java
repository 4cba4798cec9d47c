package org.callibry.server.calls;

/** A service of the media server (echo, music on hold, a queue, an IVR, ...): takes each new call. */
@FunctionalInterface
public interface CallApplication {

    /** Called on a virtual thread for each INVITE routed to the service; may block. */
    void start(CallSession session) throws Exception;
}

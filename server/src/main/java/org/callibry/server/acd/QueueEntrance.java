package org.callibry.server.acd;

import java.util.Optional;
import org.callibry.server.calls.CallSession;

/**
 * The way into a queue for a caller another media application already answered (an IVR's {@code queue}
 * node, a campaign's call for an agent): in-process, the same session, no second leg. Implemented by the
 * ACD.
 */
public interface QueueEntrance {

    /**
     * Puts {@code session} in queue {@code queueId} as a waiting caller (or sends it to the queue's
     * overflow when it is full or has no agent, as a call dialled to the queue would go). Empty when the
     * queue took the caller, which then belongs to it (the music, the agent, the hang-up); else why not.
     */
    Optional<String> enter(CallSession session, long queueId);
}

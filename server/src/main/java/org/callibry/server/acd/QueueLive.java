package org.callibry.server.acd;

import java.util.List;
import java.util.Map;

/** The live side of the queues (waiting callers, agents' states), from the ACD's memory. */
public interface QueueLive {

    /** One queue now: callers waiting, the longest wait, member agents by live state. */
    record Snapshot(long queueId, long tenantId, String name, int waiting, long longestWaitSeconds, Map<String, Integer> agents,
                    int serviceLevelSeconds, int shortAbandonSeconds) {
    }

    /** The queues of a tenant (null: all), by id. */
    List<Snapshot> snapshot(Long tenantId);

    /** Whether queue {@code queueId} takes callers now (within its hours, not closed for a holiday). */
    default boolean open(long queueId) {
        return true;
    }
}

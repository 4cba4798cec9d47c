package org.callibry.server.acd;

import java.util.Collection;
import java.util.Map;

/** What reports (the queue log's export, KPIs) and the IVR need of queues, answered from the ACD's memory. */
public interface QueueDirectory {

    /**
     * A queue as reports see it.
     *
     * @param serviceLevelSeconds answered within this wait counts for the service level
     * @param wrapUpSeconds       the agents' wrap-up after each call (part of the handling time)
     * @param shortAbandonSeconds callers who give up sooner are short abandons
     */
    record Info(long id, long tenantId, String name, int serviceLevelSeconds, int wrapUpSeconds, int shortAbandonSeconds) {
    }

    /** The queues with these ids that exist, by id. */
    Map<Long, Info> queues(Collection<Long> queueIds);

    /** Every queue of a tenant (null: of every tenant), by id. */
    Map<Long, Info> queuesOf(Long tenantId);

    /** The number queue {@code queueId} is dialled at, if the queue exists. */
    java.util.Optional<String> number(long queueId);
}

package org.callibry.server.acd;

import java.util.Collection;
import java.util.Map;

/** Queue names for reports (the queue log's export, KPIs), answered from the ACD's memory. */
public interface QueueNames {

    /** The names of the queues with these ids that exist, by id. */
    Map<Long, String> names(Collection<Long> queueIds);
}

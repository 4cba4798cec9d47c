package org.callibry.server.acd;

import java.time.Instant;

/**
 * Something happened to a caller in a queue: published for every step, so the queue log, KPIs and
 * live statistics (and webhooks) can follow each queue call. Never blocks: listeners must not either.
 *
 * @param type      what happened
 * @param callId    the call id shared by all legs of the call (detail records, recordings, other events)
 * @param entryId   the waiting entry (a call, or the callback request it became)
 * @param tenantId  the queue's tenant
 * @param queueId   the queue (for {@link Type#MOVED}: the queue it went to)
 * @param caller    the caller's number (for callbacks: the number to call back)
 * @param agentId   the agent concerned (offered, missed, answered, transferred, direct), or null
 * @param accountId the SIP account of that agent, or null
 * @param position  the caller's position at that moment (1 = next), or 0
 * @param waitSeconds how long the caller had waited (since entering the first queue, kept across moves)
 * @param detail    more words: the overflow destination, the reason of a miss, the previous queue, ...
 */
public record QueueEvent(Type type, String callId, String entryId, long tenantId, long queueId, String caller, Long agentId,
                         Long accountId, int position, long waitSeconds, String detail, Instant at) {

    public enum Type {
        ENTERED, ANNOUNCED, OFFERED, MISSED, ANSWERED, ENDED, ABANDONED, CALLBACK_REQUESTED, CALLBACK_COMPLETED,
        CALLBACK_FAILED, MOVED, KICKED, TRANSFERRED, OVERFLOWED, PRIORITY_CHANGED, TIMED_OUT, SHUTDOWN, LISTEN_STARTED,
        LISTEN_CHANGED, LISTEN_ENDED
    }
}

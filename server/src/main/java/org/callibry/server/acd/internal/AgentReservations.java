package org.callibry.server.acd.internal;

/**
 * Who holds an agent for an offer: an agent is reserved by one call at a time, so an agent in several
 * queues is never offered two calls at once. Behind this interface so that several signaling nodes can
 * later share agents through PostgreSQL row locks without touching the strategies.
 */
interface AgentReservations {

    /** Reserves {@code agentId} for {@code callId}; false when another call holds it. */
    boolean reserve(long agentId, String callId);

    /** Releases the agent if {@code callId} holds it. */
    void release(long agentId, String callId);

    /** This process's reservations: a map in memory (one signaling node). */
    static AgentReservations local() {
        java.util.concurrent.ConcurrentHashMap<Long, String> held = new java.util.concurrent.ConcurrentHashMap<>();
        return new AgentReservations() {
            @Override
            public boolean reserve(long agentId, String callId) {
                String prev = held.putIfAbsent(agentId, callId);
                return prev == null || prev.equals(callId);
            }

            @Override
            public void release(long agentId, String callId) {
                held.remove(agentId, callId);
            }
        };
    }
}

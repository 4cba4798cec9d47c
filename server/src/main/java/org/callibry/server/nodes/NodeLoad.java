package org.callibry.server.nodes;

/**
 * How busy this process is as a media node, announced in its heartbeats and used by
 * {@code pick()} for the local node. The relay implements it; without such a bean the load is 0.
 */
public interface NodeLoad {

    /** Calls relayed plus media-server sessions open right now. */
    int activeSessions();
}

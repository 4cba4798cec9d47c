package org.callibry.server.nodes;

import java.net.InetSocketAddress;
import java.time.Instant;

/**
 * A media node as the signaling side knows it: where to send ng commands, how many calls it takes and
 * has, and whether it has been heard from recently. A snapshot; the registry makes a new one on every
 * heartbeat, ping and assignment.
 *
 * @param id         unique name of the node (its {@code callibry.media.node.id})
 * @param ngAddress  where its rtpengine "ng" control protocol listens (UDP)
 * @param sipAddress host:port of its media-server SIP listener, or null when it has none
 * @param capacity   calls it is sized for
 * @param load       calls and sessions it has now: its last report plus what was assigned to it since
 * @param healthy    heard from (heartbeat or ping) within {@code dead-after}; the local node always is
 * @param lastSeen   when it was last heard from
 */
public record MediaNode(String id, InetSocketAddress ngAddress, String sipAddress, int capacity, int load,
                        boolean healthy, Instant lastSeen, Kind kind) {

    /** Where the registry learnt about the node. */
    public enum Kind {
        /** This process, running with role {@code media}. */
        LOCAL,
        /** A media node that sends heartbeats. */
        ANNOUNCED,
        /** A stock rtpengine from {@code static-nodes}, checked by ng {@code ping}. */
        STATIC
    }

    /** Load per capacity; a node without capacity counts as full. */
    public double utilisation() {
        return capacity <= 0 ? Double.POSITIVE_INFINITY : (double) load / capacity;
    }
}

package org.callibry.server.nodes;

import java.util.List;
import java.util.Optional;

/**
 * The media nodes this signaling node can send calls to, and the choice of one for a new call: the
 * healthy node with the lowest load per capacity that has room, round-robin among equals. Thread-safe;
 * every method is a few microseconds under one lock, so it may be asked on the signaling path.
 */
public interface MediaNodes {

    /** Every known node, healthy or not: local first, then announced, then static, each by id. */
    List<MediaNode> nodes();

    /** The node with this id, if known. */
    Optional<MediaNode> node(String id);

    /**
     * Whether a known node's media server answers SIP at {@code hostPort} ("host:port", an IPv6 host in
     * brackets). Asked for every request; it takes no snapshot of the nodes' load.
     */
    boolean hasSipAddress(String hostPort);

    /** The node for a new call, or empty when none can take one; call {@link #assigned} once it took it. */
    Optional<MediaNode> pick();

    /** A call was sent to {@code node}: it counts in the node's load until its next heartbeat reports it. */
    void assigned(MediaNode node);

    /** A call on {@code node} ended (or was refused by it). */
    void released(MediaNode node);
}

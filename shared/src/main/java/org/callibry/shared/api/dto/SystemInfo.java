package org.callibry.shared.api.dto;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Results of {@code system.version}, {@code system.health} and {@code system.nodes}. */
public final class SystemInfo {
    private SystemInfo() {
    }

    public record Version(String name, String version, String buildTime, String java) {
    }

    /** {@code status} is UP, DOWN or OUT_OF_SERVICE; each component has its own status and details. */
    public record Health(String status, Instant startedAt, long uptimeSeconds, Map<String, Component> components) {
    }

    public record Component(String status, Map<String, Object> details) {
    }

    /** {@code system.nodes}: local node first, then announced, then static, each by id. */
    public record Nodes(List<Node> nodes) {
    }

    /**
     * One media node.
     *
     * @param kind       LOCAL (this process), ANNOUNCED (sends heartbeats) or STATIC (rtpengine checked by ng ping)
     * @param ngAddress  host:port of its ng control protocol
     * @param sipAddress host:port of its media-server SIP listener, or null
     * @param load       calls and sessions it has, including those sent to it since its last report
     * @param healthy    heard from within dead-after; new calls go to healthy nodes only
     * @param lastSeen   last heartbeat or ping answer; null for a static node never heard from
     */
    public record Node(String id, String kind, String ngAddress, String sipAddress, int capacity, int load,
                       boolean healthy, Instant lastSeen) {
    }
}

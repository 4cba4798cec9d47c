package org.callibry.server.nodes.internal;

import org.callibry.server.api.RpcMethod;
import org.callibry.server.nodes.MediaNode;
import org.callibry.shared.api.Methods;
import org.callibry.shared.api.Role;
import org.callibry.shared.api.dto.SystemInfo;
import org.springframework.stereotype.Component;

/** {@code system.nodes}: the media nodes this signaling node knows, with their load and health. */
@Component
class NodesEndpoint {
    private final NodeRegistry nodes;

    NodesEndpoint(NodeRegistry nodes) {
        this.nodes = nodes;
    }

    @RpcMethod(value = Methods.SYSTEM_NODES, roles = {Role.ADMIN, Role.SUPERVISOR},
            summary = "Media nodes (local, announced by heartbeat, static rtpengine) with capacity, load and health")
    SystemInfo.Nodes nodes() {
        return new SystemInfo.Nodes(nodes.nodes().stream().map(NodesEndpoint::dto).toList());
    }

    private static SystemInfo.Node dto(MediaNode n) {
        return new SystemInfo.Node(n.id(), n.kind().name(), NodeProperties.format(n.ngAddress()), n.sipAddress(),
                n.capacity(), n.load(), n.healthy(), n.lastSeen());
    }
}

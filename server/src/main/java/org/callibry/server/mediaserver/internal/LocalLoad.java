package org.callibry.server.mediaserver.internal;

import org.callibry.server.relay.rtp.RtpPlane;

import org.callibry.server.nodes.NodeLoad;
import org.springframework.stereotype.Component;

/** This node's load as heartbeats report it: relayed calls plus media server sessions. */
@Component
class LocalLoad implements NodeLoad {
    private final RtpPlane plane;
    private final MediaServer server;

    LocalLoad(RtpPlane plane, MediaServer server) {
        this.plane = plane;
        this.server = server;
    }

    @Override
    public int activeSessions() {
        return plane.activeCalls() + server.activeSessions();
    }
}

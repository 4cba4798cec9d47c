package org.callibry.server.media.internal;

import org.callibry.server.media.NodeLoad;
import org.springframework.stereotype.Component;

/** This node's load as heartbeats report it: relayed calls plus media server sessions. */
@Component
class LocalLoad implements NodeLoad {
    private final MediaPlane plane;
    private final MediaServer server;

    LocalLoad(MediaPlane plane, MediaServer server) {
        this.plane = plane;
        this.server = server;
    }

    @Override
    public int activeSessions() {
        return plane.activeCalls() + server.activeSessions();
    }
}

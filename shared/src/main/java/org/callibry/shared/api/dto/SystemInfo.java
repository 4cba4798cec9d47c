package org.callibry.shared.api.dto;

import java.time.Instant;
import java.util.Map;

/** Results of {@code system.version} and {@code system.health}. */
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
}

package org.callibry.server.ops.internal;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.callibry.server.api.RpcMethod;
import org.callibry.shared.api.Methods;
import org.callibry.shared.api.Role;
import org.callibry.shared.api.dto.SystemInfo;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.info.BuildProperties;
import org.springframework.stereotype.Component;

/** {@code system.version} and {@code system.health}: what runs here and whether its parts are up. */
@Component
class SystemEndpoint {
    private final HealthContributorRegistry health;
    private final BuildProperties build;

    SystemEndpoint(HealthContributorRegistry health, ObjectProvider<BuildProperties> build) {
        this.health = health;
        this.build = build.getIfAvailable();
    }

    @RpcMethod(value = Methods.SYSTEM_VERSION, anonymous = true, summary = "Product version, build time and Java runtime")
    SystemInfo.Version version() {
        return new SystemInfo.Version("Callibry", build == null ? "dev" : build.getVersion(),
                build == null || build.getTime() == null ? null : build.getTime().toString(),
                Runtime.version().toString());
    }

    @RpcMethod(value = Methods.SYSTEM_HEALTH, roles = {Role.ADMIN, Role.SUPERVISOR},
            summary = "Health of each component (database, disk, ...) with details; status is DOWN if any is")
    SystemInfo.Health health() {
        Map<String, SystemInfo.Component> components = new LinkedHashMap<>();
        health.stream().forEach(e -> collect(e.name(), e.contributor(), components));
        boolean down = components.values().stream().anyMatch(c -> c.status().equals(Status.DOWN.getCode()));
        long startMillis = ManagementFactory.getRuntimeMXBean().getStartTime();
        return new SystemInfo.Health(down ? Status.DOWN.getCode() : Status.UP.getCode(), Instant.ofEpochMilli(startMillis),
                (System.currentTimeMillis() - startMillis) / 1000, components);
    }

    private static void collect(String name, HealthContributor contributor, Map<String, SystemInfo.Component> out) {
        if (contributor instanceof HealthIndicator indicator) {
            Health h = indicator.health(true);
            out.put(name, new SystemInfo.Component(h.getStatus().getCode(), h.getDetails()));
        } else if (contributor instanceof CompositeHealthContributor composite) {
            composite.stream().forEach(e -> collect(name + "." + e.name(), e.contributor(), out));
        }
    }
}

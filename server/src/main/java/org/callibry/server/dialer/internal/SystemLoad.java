package org.callibry.server.dialer.internal;

import java.lang.management.ManagementFactory;
import org.springframework.stereotype.Component;

/**
 * The load the dialer obeys: the operating system's one-minute load average (as the seed's
 * {@code ks_caller} did), or a value a test sets with {@link #set}.
 */
@Component
class SystemLoad {
    private volatile Double fixed;

    double current() {
        Double f = fixed;
        return f != null ? f : ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** Replaces the operating system's figure ({@code null}: back to it). */
    void set(Double value) {
        fixed = value;
    }
}

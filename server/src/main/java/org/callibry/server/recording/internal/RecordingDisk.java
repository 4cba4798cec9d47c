package org.callibry.server.recording.internal;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Watches the free space of the recordings directory every {@value #CHECK_MS} ms, so starting a
 * recording only reads a field. Exposed as the health indicator {@code recordings}: DOWN with the
 * reason while free space is below {@code min-free-space} or the directory is not writable.
 */
@Component("recordings")
class RecordingDisk implements HealthIndicator {
    private static final Logger log = LoggerFactory.getLogger(RecordingDisk.class);
    static final long CHECK_MS = 10_000;

    private final Path dir;
    private final long minFree;
    private volatile String problem;
    private volatile long free = -1;

    RecordingDisk(RecordingProperties properties) {
        this.dir = properties.dir().toAbsolutePath();
        this.minFree = properties.minFreeSpace().toBytes();
        check();
    }

    /** Null when recordings can start, else why not. */
    String lowSpace() {
        return problem;
    }

    @Scheduled(fixedDelay = CHECK_MS, initialDelay = CHECK_MS)
    void check() {
        String was = problem;
        try {
            Files.createDirectories(dir);
            if (!Files.isWritable(dir)) {
                problem = dir + " is not writable";
            } else {
                FileStore store = Files.getFileStore(dir);
                free = store.getUsableSpace();
                problem = free < minFree ? "free disk space " + mb(free) + " MB is below the minimum of " + mb(minFree)
                        + " MB (callibry.media.recording.min-free-space) in " + dir : null;
            }
        } catch (IOException e) {
            problem = "cannot use " + dir + ": " + e;
        }
        if (problem != null && !problem.equals(was)) {
            log.error("Call recording suspended: {}", problem);
        } else if (problem == null && was != null) {
            log.info("Call recording resumed: {}", dir);
        }
    }

    private static long mb(long bytes) {
        return bytes / (1024 * 1024);
    }

    @Override
    public Health health() {
        Health.Builder b = problem == null ? Health.up() : Health.down().withDetail("reason", problem);
        return b.withDetail("dir", dir.toString()).withDetail("freeBytes", free).withDetail("minFreeBytes", minFree).build();
    }
}

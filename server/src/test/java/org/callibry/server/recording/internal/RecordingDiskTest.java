package org.callibry.server.recording.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.health.contributor.Status;
import org.springframework.util.unit.DataSize;

/** The disk watch: below the minimum free space, or an unusable directory, recordings are refused and health is DOWN with the reason. */
class RecordingDiskTest {
    @TempDir
    Path tmp;

    private static RecordingProperties props(Path dir, DataSize minFree) {
        return new RecordingProperties(dir, 32, Duration.ofDays(90), 1, minFree);
    }

    @Test
    void belowTheMinimumRecordingsAreRefusedAndHealthIsDown() {
        RecordingDisk disk = new RecordingDisk(props(tmp, DataSize.ofTerabytes(1000)));
        assertThat(disk.lowSpace()).contains("below the minimum").contains("min-free-space");
        assertThat(disk.health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(disk.health().getDetails().get("reason").toString()).contains("free disk space");
    }

    @Test
    void anUnusableDirectoryIsReported() throws Exception {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        RecordingDisk disk = new RecordingDisk(props(file.resolve("recordings"), DataSize.ofBytes(1)));
        assertThat(disk.lowSpace()).contains("cannot use");
        assertThat(disk.health().getStatus()).isEqualTo(Status.DOWN);
    }

    @Test
    void withSpaceRecordingsStart() {
        RecordingDisk disk = new RecordingDisk(props(tmp.resolve("rec"), DataSize.ofBytes(1)));
        assertThat(disk.lowSpace()).isNull();
        assertThat(disk.health().getStatus()).isEqualTo(Status.UP);
    }
}

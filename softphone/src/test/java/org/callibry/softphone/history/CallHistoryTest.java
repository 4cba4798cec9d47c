package org.callibry.softphone.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CallHistoryTest {
    @TempDir
    Path dir;

    @Test
    void newestFirstAndKeptAcrossRestarts() throws Exception {
        CallHistory h = new CallHistory(dir);
        h.add(new CallHistory.Entry(Instant.parse("2026-11-27T10:00:00Z"), CallHistory.Kind.DIALLED, "1002", "Bob", Duration.ofSeconds(30)));
        h.add(new CallHistory.Entry(Instant.parse("2026-11-27T11:00:00Z"), CallHistory.Kind.MISSED, "1003", "Eve\tX", Duration.ZERO));
        CallHistory again = new CallHistory(dir);
        assertThat(again.entries()).extracting(CallHistory.Entry::number).containsExactly("1003", "1002");
        assertThat(again.entries().getFirst().kind()).isEqualTo(CallHistory.Kind.MISSED);
        assertThat(again.entries().getFirst().name()).isEqualTo("Eve X");
    }

    @Test
    void aDamagedLineIsSkippedNotFatal() throws Exception {
        Files.writeString(dir.resolve("history.tsv"), "garbage\n2026-11-27T10:00:00Z\tRECEIVED\t1002\tBob\t12\n");
        assertThat(new CallHistory(dir).entries()).hasSize(1);
    }
}

package org.callibry.server.cdr.internal;

import org.callibry.server.storage.Spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.callibry.server.calls.CallEnded;
import org.callibry.server.calls.CallEnded.Disposition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The disk spool: records come back exactly as written (times, nulls, odd text); segments are
 * listed oldest first and a new one starts after sealing; a spool left by an earlier process is
 * counted when opened; a line cut short by a crash is set aside in rejected/ when its segment is
 * deleted, and the others are read.
 */
class CdrSpoolTest {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00.123456Z");

    @TempDir
    Path dir;

    static CdrRecord record(int i) {
        return CdrRecord.of(new CallEnded("call-" + i, "100" + i, "200" + i, null, "8200" + i, "192.0.2.1:5060",
                null, "route \"main\",\nsecond line", i % 2 == 0 ? null : 3L, T0.plusSeconds(i), T0.plusSeconds(i + 1),
                T0.plusSeconds(i + 61), Disposition.ANSWERED, 200, "BYE ✓"), T0);
    }

    @Test
    void recordsComeBackAsWritten() throws Exception {
        try (Spool<CdrRecord> spool = new Spool<>(dir, "cdr", CdrRecord.class)) {
            List<CdrRecord> written = List.of(record(1), record(2), record(3));
            spool.append(written);
            assertThat(spool.pending()).isEqualTo(3);
            List<Path> segments = spool.seal();
            assertThat(segments).hasSize(1);
            Spool.Segment<CdrRecord> s = spool.read(segments.getFirst());
            assertThat(s.records()).containsExactlyElementsOf(written);
            assertThat(s.lines()).isEqualTo(3);
            assertThat(Files.readAllLines(segments.getFirst())).hasSize(3).allSatisfy(l -> assertThat(l).startsWith("{"));
            spool.delete(s);
            assertThat(spool.pending()).isZero();
            assertThat(spool.seal()).isEmpty();
        }
    }

    @Test
    void segmentsAreListedOldestFirstAndSealingStartsANewOne() throws Exception {
        CdrRecord r1 = record(1);
        CdrRecord r2 = record(2);
        CdrRecord r3 = record(3);
        try (Spool<CdrRecord> spool = new Spool<>(dir, "cdr", CdrRecord.class)) {
            spool.append(List.of(r1));
            spool.append(List.of(r2));
            Path first = spool.seal().getFirst();
            spool.append(List.of(r3));
            List<Path> segments = spool.seal();
            assertThat(segments).hasSize(2).first().isEqualTo(first);
            assertThat(spool.read(segments.get(0)).records()).containsExactly(r1, r2);
            assertThat(spool.read(segments.get(1)).records()).containsExactly(r3);
        }
    }

    @Test
    void aFullSegmentIsFollowedByANewOne() throws Exception {
        List<CdrRecord> many = new ArrayList<>();
        for (int i = 0; i < Spool.SEGMENT_RECORDS; i++) {
            many.add(record(i));
        }
        try (Spool<CdrRecord> spool = new Spool<>(dir, "cdr", CdrRecord.class)) {
            spool.append(many);
            spool.append(List.of(record(1)));
            assertThat(spool.seal()).hasSize(2);
        }
    }

    @Test
    void aSpoolLeftByAnEarlierProcessIsCountedAndACutLineSetAside() throws Exception {
        Path segment;
        CdrRecord r1 = record(1);
        CdrRecord r2 = record(2);
        try (Spool<CdrRecord> earlier = new Spool<>(dir, "cdr", CdrRecord.class)) {
            earlier.append(List.of(r1, r2));
            segment = earlier.seal().getFirst();
        }
        // the process died in the middle of the next write
        Files.writeString(segment, "{\"id\":\"0190", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        try (Spool<CdrRecord> spool = new Spool<>(dir, "cdr", CdrRecord.class)) {
            assertThat(spool.pending()).isEqualTo(3);
            Spool.Segment<CdrRecord> s = spool.read(spool.seal().getFirst());
            assertThat(s.records()).containsExactly(r1, r2);
            assertThat(s.unreadable()).containsExactly("{\"id\":\"0190");
            spool.delete(s);
            assertThat(spool.pending()).isZero();
            try (var rejected = Files.list(dir.resolve("rejected"))) {
                assertThat(rejected.toList()).singleElement()
                        .satisfies(f -> assertThat(Files.readString(f)).contains("{\"id\":\"0190"));
            }
        }
    }

    @Test
    void refusedRecordsAreKeptInRejected() throws Exception {
        try (Spool<CdrRecord> spool = new Spool<>(dir, "cdr", CdrRecord.class)) {
            spool.reject(List.of(record(7)));
            assertThat(spool.pending()).isZero();
            assertThat(spool.seal()).isEmpty();
            try (var rejected = Files.list(dir.resolve("rejected"))) {
                assertThat(rejected.toList()).singleElement()
                        .satisfies(f -> assertThat(Files.readString(f)).contains("call-7"));
            }
        }
    }
}

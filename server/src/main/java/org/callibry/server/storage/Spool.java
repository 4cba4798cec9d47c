package org.callibry.server.storage;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Records waiting on disk for the database: append-only segment files of JSON lines
 * ({@code <prefix>-<millis>-<seq>.jsonl}, so names sort oldest first), each write forced to disk before
 * {@link #append} returns. The writer {@linkplain #seal seals} the open segment, replays the sealed
 * ones oldest first and deletes each only after its rows are committed. Records the database refuses
 * for their content go to {@code rejected/} instead, kept for a person to look at.
 */
public final class Spool<T> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Spool.class);

    /** Records per segment before a new one is started, so replay reads bounded files. */
    public static final int SEGMENT_RECORDS = 10_000;

    /** A sealed segment as read back: its records, the lines that were not records, and how many lines it held. */
    public record Segment<T>(Path path, List<T> records, List<String> unreadable, int lines) {
    }

    private final Path dir;
    private final Path rejectedDir;
    private final String prefix;
    private final Class<T> type;
    private final Pattern segmentName;
    private final JsonMapper json = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    private final AtomicLong pending = new AtomicLong();
    private FileChannel open;
    private Path openPath;
    private int openRecords;
    private long sequence;

    /**
     * Opens the spool of {@code type} records in {@code dir} (created if missing), segment files named
     * {@code <prefix>-...} (e.g. {@code cdr}); segments already there wait for replay.
     */
    public Spool(Path dir, String prefix, Class<T> type) {
        this.dir = dir.toAbsolutePath();
        this.prefix = prefix;
        this.type = type;
        this.segmentName = Pattern.compile(Pattern.quote(prefix) + "-\\d{13}-\\d{6}\\.jsonl");
        this.rejectedDir = this.dir.resolve("rejected");
        try {
            Files.createDirectories(this.dir);
            long waiting = 0;
            for (Path segment : segments()) {
                try (Stream<String> lines = Files.lines(segment, StandardCharsets.UTF_8)) {
                    waiting += lines.filter(l -> !l.isBlank()).count();
                }
            }
            pending.set(waiting);
            if (waiting > 0) {
                log.info("Spool {} holds {} records from an earlier run; they are written once the database answers",
                        this.dir, waiting);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the spool " + this.dir + ": " + e.getMessage(), e);
        }
    }

    public Path dir() {
        return dir;
    }

    /** Records in the spool not yet written to the database. */
    public long pending() {
        return pending.get();
    }

    /** Appends the records to the open segment and forces them to disk. */
    public synchronized void append(List<T> records) throws IOException {
        if (records.isEmpty()) {
            return;
        }
        StringBuilder lines = new StringBuilder(records.size() * 400);
        for (T r : records) {
            lines.append(json.writeValueAsString(r)).append('\n');
        }
        if (open == null || openRecords >= SEGMENT_RECORDS) {
            rotate();
        }
        ByteBuffer bytes = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            open.write(bytes);
        }
        open.force(false);
        openRecords += records.size();
        pending.addAndGet(records.size());
    }

    /** Closes the open segment (later appends start a new one) and lists every segment, oldest first. */
    public synchronized List<Path> seal() throws IOException {
        closeOpen();
        List<Path> segments = segments();
        if (segments.isEmpty()) {
            pending.set(0); // nothing on disk, whatever the count said (files removed by hand)
        }
        return segments;
    }

    /** Reads a sealed segment; a line that is not a record (a write cut short by a crash) is kept aside. */
    public Segment<T> read(Path segment) throws IOException {
        List<T> records = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        int lines = 0;
        try (BufferedReader in = Files.newBufferedReader(segment, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                lines++;
                try {
                    records.add(json.readValue(line, type));
                } catch (JacksonException e) {
                    bad.add(line);
                }
            }
        }
        return new Segment<>(segment, records, bad, lines);
    }

    /** Removes a segment whose records are committed; its unreadable lines move to {@code rejected/}. */
    public void delete(Segment<T> segment) throws IOException {
        if (!segment.unreadable().isEmpty()) {
            log.warn("Spool segment {}: {} unreadable lines (a write cut short?) moved to {}", segment.path().getFileName(),
                    segment.unreadable().size(), rejectedDir);
            writeRejected(segment.unreadable());
        }
        Files.deleteIfExists(segment.path());
        pending.addAndGet(-segment.lines());
    }

    /** Keeps records the database refuses for their content in {@code rejected/}, one JSON line each. */
    public void reject(List<T> records) throws IOException {
        List<String> lines = new ArrayList<>();
        for (T r : records) {
            lines.add(json.writeValueAsString(r));
        }
        writeRejected(lines);
    }

    @Override
    public synchronized void close() {
        try {
            closeOpen();
        } catch (IOException e) {
            log.warn("Spool segment {} did not close cleanly: {}", openPath, e.getMessage());
        }
    }

    private synchronized void writeRejected(List<String> lines) throws IOException {
        Files.createDirectories(rejectedDir);
        Path file = rejectedDir.resolve("rejected-" + Instant.now().toEpochMilli() + ".jsonl");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer bytes = ByteBuffer.wrap((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                ch.write(bytes);
            }
            ch.force(false);
        }
    }

    private void rotate() throws IOException {
        closeOpen();
        Path path;
        do {
            path = dir.resolve(String.format("%s-%013d-%06d.jsonl", prefix, Instant.now().toEpochMilli(), sequence++ % 1_000_000));
        } while (Files.exists(path));
        open = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        openPath = path;
        openRecords = 0;
        forceDirectory();
    }

    private void closeOpen() throws IOException {
        if (open != null) {
            try {
                open.close();
            } finally {
                open = null;
                openPath = null;
            }
        }
    }

    /** Makes a new file's directory entry durable too (a crash right after creating it must not lose it). */
    private void forceDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // some file systems cannot open a directory; the file's own data is forced regardless
            log.debug("cannot fsync directory {}: {}", dir, e.getMessage());
        }
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> segmentName.matcher(p.getFileName().toString()).matches()).sorted().toList();
        }
    }
}

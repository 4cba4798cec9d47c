package org.callibry.softphone.history;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Missed, received and dialled calls, newest first, kept in {@code history.tsv} of the config
 * directory (one appended line per call, so nothing is lost on a crash), at most {@link #LIMIT}.
 */
public final class CallHistory {
    public static final int LIMIT = 500;

    public enum Kind { MISSED, RECEIVED, DIALLED }

    public record Entry(Instant at, Kind kind, String number, String name, Duration duration) {
    }

    private final Path file;
    private final List<Entry> entries = new ArrayList<>();

    public CallHistory(Path dir) {
        this.file = dir.resolve("history.tsv");
        if (Files.exists(file)) {
            try {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    String[] f = line.split("\t", -1);
                    if (f.length == 5) {
                        try {
                            entries.addFirst(new Entry(Instant.parse(f[0]), Kind.valueOf(f[1]), f[2], f[3],
                                    Duration.ofSeconds(Long.parseLong(f[4]))));
                        } catch (RuntimeException ignored) {
                            // a damaged line is skipped, the rest is kept
                        }
                    }
                }
            } catch (IOException ignored) {
                // unreadable history starts empty
            }
        }
        trim();
    }

    public synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    public synchronized void add(Entry e) throws IOException {
        entries.addFirst(e);
        trim();
        Files.createDirectories(file.getParent());
        String line = String.join("\t", e.at().toString(), e.kind().name(), clean(e.number()), clean(e.name()),
                Long.toString(e.duration().toSeconds())) + "\n";
        Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private void trim() {
        while (entries.size() > LIMIT) {
            entries.removeLast();
        }
    }

    private static String clean(String s) {
        return s == null ? "" : s.replace('\t', ' ').replace('\n', ' ');
    }
}

package org.callibry.server.recording.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The files of catalogued recordings: where a row's MP3 is, deleting a recording (file first, then
 * row), and the daily retention clean-up.
 */
@Component
class RecordingFiles {
    private static final Logger log = LoggerFactory.getLogger(RecordingFiles.class);
    private static final int BATCH = 500;

    private final RecordingCatalogue catalogue;
    private final RecordingProperties properties;
    private final Path dir;

    RecordingFiles(RecordingCatalogue catalogue, RecordingProperties properties) {
        this.catalogue = catalogue;
        this.properties = properties;
        this.dir = properties.dir().toAbsolutePath();
    }

    /** The MP3 of an entry; the name comes from the database, and must not lead outside the directory. */
    Path mp3(RecordingCatalogue.Entry e) {
        Path p = dir.resolve(e.fileName()).normalize();
        if (!p.startsWith(dir)) {
            throw new IllegalStateException("recording " + e.recording().id() + " names a file outside " + dir);
        }
        return p;
    }

    void delete(RecordingCatalogue.Entry e) {
        Path mp3 = mp3(e);
        String name = mp3.getFileName().toString();
        Path wav = mp3.resolveSibling(name.substring(0, name.length() - ".mp3".length()) + ".wav");
        try {
            Files.deleteIfExists(mp3);
            Files.deleteIfExists(wav);
            Files.deleteIfExists(CallRecorder.sideFile(wav));
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot delete the recording " + mp3 + ": " + ex.getMessage(), ex);
        }
        catalogue.delete(e.recording().id());
    }

    /** Deletes recordings of calls started before the retention; returns how many. Daily at 03:17. */
    @Scheduled(cron = "0 17 3 * * *")
    int expire() {
        return expire(Instant.now().minus(properties.retention()));
    }

    int expire(Instant cutoff) {
        int deleted = 0;
        while (true) {
            List<RecordingCatalogue.Entry> batch = catalogue.olderThan(cutoff, BATCH);
            for (RecordingCatalogue.Entry e : batch) {
                try {
                    delete(e);
                    deleted++;
                } catch (RuntimeException ex) {
                    log.error("Retention: cannot delete recording {}: {}", e.recording().id(), ex.getMessage());
                    return deleted;
                }
            }
            if (batch.size() < BATCH) {
                break;
            }
        }
        if (deleted > 0) {
            log.info("Retention: deleted {} recordings of calls before {}", deleted, cutoff);
        }
        return deleted;
    }
}

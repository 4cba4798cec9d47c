package org.callibry.server.recording.internal;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.callibry.server.recording.RecordingFinished;
import org.callibry.server.recording.RecordingReady;
import org.callibry.shared.api.dto.Recordings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Turns finished recordings into MP3 off the call path: every {@link RecordingFinished} gets a
 * 'converting' row at once, then one of {@code converter-threads} encodes the WAV, marks the row
 * ready (or failed) and deletes the WAV. WAVs found at start-up (a crash or shutdown mid-call or
 * mid-conversion) are converted then, with the metadata of their side file. A converted recording is
 * announced by {@link RecordingReady}.
 */
@Component
class RecordingConverter implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(RecordingConverter.class);

    private final RecordingProperties properties;
    private final RecordingCatalogue catalogue;
    private final Path dir;
    private final ExecutorService executor;
    private final ApplicationEventPublisher events;

    RecordingConverter(RecordingProperties properties, RecordingCatalogue catalogue, ApplicationEventPublisher events) {
        this.properties = properties;
        this.catalogue = catalogue;
        this.events = events;
        this.dir = properties.dir().toAbsolutePath();
        this.executor = Executors.newFixedThreadPool(properties.converterThreads(),
                Thread.ofPlatform().name("recording-converter-", 0).daemon(true).factory());
    }

    @EventListener
    void on(RecordingFinished e) {
        String mp3 = mp3Name(e.wav());
        long id = catalogue.converting(e.tenantId(), e.callId(), e.aNumber(), e.bNumber(), e.startedAt(), e.channels(), mp3,
                e.error());
        submit(id, e.wav(), e.error());
    }

    /** WAVs left over by the previous run: catalogued from their side files and converted. */
    @EventListener(ApplicationReadyEvent.class)
    void recover() {
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> wavs;
        try (Stream<Path> files = Files.walk(dir, 2)) {
            wavs = files.filter(p -> p.getFileName().toString().endsWith(".wav") && Files.isRegularFile(p)).toList();
        } catch (IOException e) {
            log.error("Cannot look for unconverted recordings in {}: {}", dir, e.toString());
            return;
        }
        for (Path wav : wavs) {
            try {
                String mp3 = mp3Name(wav);
                var existing = catalogue.findByFile(mp3);
                if (existing.isPresent()) {
                    Recordings.State state = existing.get().recording().state();
                    if (state == Recordings.State.CONVERTING) {
                        submit(existing.get().recording().id(), wav, existing.get().recording().error());
                    } else if (state == Recordings.State.READY && Files.exists(dir.resolve(mp3))) {
                        // converted, then stopped before the WAV's deletion; a failed conversion keeps its WAV
                        deleteSources(wav);
                        log.info("Deleted the WAV {} of a recording already converted", wav);
                    }
                    continue;
                }
                Properties p = new Properties();
                Path side = CallRecorder.sideFile(wav);
                if (Files.exists(side)) {
                    try (Reader in = Files.newBufferedReader(side)) {
                        p.load(in);
                    }
                }
                String tenant = p.getProperty("tenantId");
                String started = p.getProperty("startedAt");
                String error = "the server stopped during the recording or its conversion";
                long id = catalogue.converting(tenant == null ? tenantOf(wav) : Long.valueOf(tenant),
                        p.getProperty("callId", wav.getFileName().toString()), p.getProperty("aNumber"), p.getProperty("bNumber"),
                        started == null ? Files.getLastModifiedTime(wav).toInstant() : Instant.parse(started),
                        Integer.parseInt(p.getProperty("channels", "1")), mp3, error);
                submit(id, wav, error);
                log.info("Converting the recording {} left over by the previous run", wav);
            } catch (IOException | RuntimeException e) {
                log.error("Cannot recover the recording {}: {}", wav, e.toString());
            }
        }
    }

    /** The tenant directory a file sits in ({@code 0}: none). */
    private Long tenantOf(Path wav) {
        try {
            long t = Long.parseLong(wav.getParent().getFileName().toString());
            return t == 0 ? null : t;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The catalogue name of a recording: its MP3 relative to the recordings directory, with '/' separators. */
    String mp3Name(Path wav) {
        String relative = dir.relativize(wav.toAbsolutePath()).toString().replace('\\', '/');
        return relative.substring(0, relative.length() - ".wav".length()) + ".mp3";
    }

    Future<?> submit(long id, Path wav, String recorderError) {
        return executor.submit(() -> convert(id, wav, recorderError));
    }

    private void convert(long id, Path wav, String recorderError) {
        Path mp3 = dir.resolve(mp3Name(wav));
        Path part = mp3.resolveSibling(mp3.getFileName() + ".part");
        try {
            if (!Files.exists(wav)) {
                catalogue.failed(id, recorderError != null ? recorderError : "the recording's WAV file is missing");
                Files.deleteIfExists(CallRecorder.sideFile(wav));
                return;
            }
            long frames = Mp3Encoding.encode(wav, part, properties.mp3Bitrate());
            Files.move(part, mp3, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            catalogue.ready(id, frames * 1000 / CallRecorder.RATE, Files.size(mp3));
            // the WAV goes before the announcement: whoever hears of a ready recording finds only its MP3
            deleteSources(wav);
            catalogue.find(id).map(RecordingCatalogue.Entry::recording).ifPresent(r -> events.publishEvent(new RecordingReady(
                    r.id(), r.callId(), r.tenantId(), r.aNumber(), r.bNumber(), r.startedAt(), r.durationMs(), r.channels(),
                    r.sizeBytes())));
            log.debug("Recording {} converted: {}", id, mp3);
        } catch (IOException | RuntimeException e) {
            log.error("Converting the recording {} ({}) failed: {}", id, wav, e.toString());
            try {
                Files.deleteIfExists(part);
                catalogue.failed(id, "conversion to MP3 failed: " + e.getMessage()
                        + (recorderError == null ? "" : "; " + recorderError));
            } catch (IOException | RuntimeException again) {
                log.error("Cannot mark the recording {} failed: {}", id, again.toString());
            }
        }
    }

    private static void deleteSources(Path wav) throws IOException {
        Files.deleteIfExists(wav);
        Files.deleteIfExists(CallRecorder.sideFile(wav));
    }

    @Override
    public void destroy() throws InterruptedException {
        // conversions not started now run again from the WAV at the next start
        executor.shutdown();
        if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
            executor.shutdownNow();
        }
    }
}

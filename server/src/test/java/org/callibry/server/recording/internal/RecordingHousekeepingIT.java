package org.callibry.server.recording.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.callibry.server.api.ApiTestSupport;
import org.callibry.shared.api.dto.Recordings;
import org.callibry.shared.media.Tones;
import org.callibry.shared.media.WavWriter;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Status;

/**
 * The recordings' housekeeping in the real server context:
 * <ul>
 * <li>a WAV left over by a crash (cut short, with its side file) is catalogued and converted at start-up;</li>
 * <li>the retention clean-up deletes rows and files of calls older than the cut-off, and only those;</li>
 * <li>the health indicator {@code recordings} is UP with free space and says why when it is not.</li>
 * </ul>
 */
class RecordingHousekeepingIT extends ApiTestSupport {
    @Autowired
    RecordingProperties properties;
    @Autowired
    RecordingConverter converter;
    @Autowired
    RecordingCatalogue catalogue;
    @Autowired
    RecordingFiles files;
    @Autowired
    RecordingDisk disk;

    private Recordings.Recording awaitSettled(String mp3Name) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            Optional<RecordingCatalogue.Entry> e = catalogue.findByFile(mp3Name);
            if (e.isPresent() && e.get().recording().state() != Recordings.State.CONVERTING) {
                return e.get().recording();
            }
            assertThat(System.nanoTime()).as("conversion of %s", mp3Name).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    void aWavLeftByACrashIsConvertedAtStartUp() throws Exception {
        Path dir = properties.dir().toAbsolutePath().resolve("4242");
        Files.createDirectories(dir);
        String base = "20260101-000000-" + UUID.randomUUID();
        Path wav = dir.resolve(base + ".wav");
        // a recorder that died after its second flush: the header says 2 s, 2 s are there, nothing was closed
        WavWriter w = new WavWriter(wav, 8000, 2);
        w.write(Tones.sine(440, 5000, 8000, 2 * 8000 * 2));
        w.flush();
        Files.writeString(CallRecorder.sideFile(wav), "callId=crashed@test\ntenantId=4242\naNumber=100\nbNumber=200\n"
                + "channels=2\nstartedAt=2026-01-01T00:00:00Z\n");

        converter.recover();
        Recordings.Recording r = awaitSettled("4242/" + base + ".mp3");
        assertThat(r.state()).isEqualTo(Recordings.State.READY);
        assertThat(r.callId()).isEqualTo("crashed@test");
        assertThat(r.tenantId()).isEqualTo(4242L);
        assertThat(r.channels()).isEqualTo(2);
        assertThat(r.startedAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(r.durationMs()).isEqualTo(2000);
        assertThat(r.error()).contains("server stopped");
        assertThat(wav).doesNotExist();
        assertThat(CallRecorder.sideFile(wav)).doesNotExist();
        assertThat(dir.resolve(base + ".mp3")).exists();
        w.close();
        Files.deleteIfExists(wav);

        // running the recovery again finds nothing to do
        converter.recover();
        assertThat(catalogue.findByFile("4242/" + base + ".mp3").orElseThrow().recording()).isEqualTo(r);

        // a stop between the row's READY and the WAV's deletion: the next start deletes the WAV, keeps the MP3
        Files.write(wav, new byte[]{1, 2, 3});
        Files.writeString(CallRecorder.sideFile(wav), "callId=crashed@test\n");
        converter.recover();
        assertThat(wav).doesNotExist();
        assertThat(CallRecorder.sideFile(wav)).doesNotExist();
        assertThat(dir.resolve(base + ".mp3")).exists();
        assertThat(catalogue.findByFile("4242/" + base + ".mp3").orElseThrow().recording()).isEqualTo(r);
    }

    @Test
    void retentionDeletesOldRecordingsAndTheirFilesOnly() throws Exception {
        Path dir = Files.createDirectories(properties.dir().toAbsolutePath().resolve("4343"));
        Instant old = Instant.now().minus(Duration.ofDays(100));
        Instant recent = Instant.now().minus(Duration.ofDays(10));
        String oldName = "4343/old-" + UUID.randomUUID() + ".mp3";
        String newName = "4343/new-" + UUID.randomUUID() + ".mp3";
        long oldId = catalogue.converting(4343L, "old@test", "1", "2", old, 1, oldName, null);
        long newId = catalogue.converting(4343L, "new@test", "1", "2", recent, 1, newName, null);
        catalogue.ready(oldId, 1000, 3);
        catalogue.ready(newId, 1000, 3);
        Path oldFile = Files.write(properties.dir().toAbsolutePath().resolve(oldName), new byte[]{1, 2, 3});
        Path newFile = Files.write(properties.dir().toAbsolutePath().resolve(newName), new byte[]{1, 2, 3});

        assertThat(files.expire(Instant.now().minus(properties.retention()))).isGreaterThanOrEqualTo(1);
        assertThat(catalogue.find(oldId)).isEmpty();
        assertThat(oldFile).doesNotExist();
        assertThat(catalogue.find(newId)).isPresent();
        assertThat(newFile).exists();
        assertThat(dir).isDirectory();
    }

    @Test
    void healthIsUpWithFreeSpaceAndTheDefaultsApply() {
        disk.check();
        assertThat(disk.health().getStatus()).isEqualTo(Status.UP);
        assertThat(disk.lowSpace()).isNull();
        assertThat(properties.retention()).isEqualTo(Duration.ofDays(90));
        assertThat(properties.mp3Bitrate()).isEqualTo(32);
        assertThat(properties.converterThreads()).isEqualTo(1);
    }
}

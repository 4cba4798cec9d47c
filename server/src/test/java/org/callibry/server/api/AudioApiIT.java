package org.callibry.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.callibry.shared.api.ErrorCodes;
import org.callibry.shared.api.client.CallibryClient;
import org.callibry.shared.api.client.RpcErrorException;
import org.callibry.shared.api.dto.AudioFiles;
import org.callibry.shared.api.dto.Tenants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Audio files: upload (multipart), metadata, download of the same bytes, rename, delete, bad files refused. */
class AudioApiIT extends ApiTestSupport {
    @TempDir
    Path tmp;

    /** Writes half a second of a 440 Hz tone, 8 kHz 16-bit mono PCM, as a WAV file. */
    static Path wav(Path file) throws IOException {
        int samples = 4000;
        ByteBuffer pcm = ByteBuffer.allocate(samples * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < samples; i++) {
            pcm.putShort((short) (8000 * Math.sin(2 * Math.PI * 440 * i / 8000.0)));
        }
        AudioFormat format = new AudioFormat(8000, 16, 1, true, false);
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(pcm.array()), format, samples)) {
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, file.toFile());
        }
        return file;
    }

    @Test
    void uploadListDownloadRenameDelete() throws Exception {
        CallibryClient admin = admin();
        Tenants.Tenant t = admin.tenants().create(new Tenants.Create(unique("audio"), null, null));
        Path file = wav(tmp.resolve("hello.wav"));
        AudioFiles.AudioFile a = admin.uploadAudio(file, "Welcome", t.id());
        assertThat(a.contentType()).isEqualTo("audio/wav");
        assertThat(a.sizeBytes()).isEqualTo(Files.size(file));
        assertThat(a.fileName()).isEqualTo("hello.wav");
        assertThat(admin.audio().get(a.id())).isEqualTo(a);
        assertThat(admin.audio().list(new AudioFiles.ListParams(t.id(), null, null, null)).items()).containsExactly(a);
        assertThat(admin.downloadAudio(a.id())).isEqualTo(Files.readAllBytes(file));

        assertThatThrownBy(() -> admin.uploadAudio(file, "welcome", t.id()))
                .isInstanceOfSatisfying(RpcErrorException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCodes.CONFLICT);
                    assertThat(e.field()).isEqualTo("name");
                });
        AudioFiles.AudioFile renamed = admin.audio().update(new AudioFiles.Update(a.id(), "Welcome v2"));
        assertThat(renamed.name()).isEqualTo("Welcome v2");
        admin.audio().delete(a.id());
        assertThatThrownBy(() -> admin.downloadAudio(a.id()))
                .isInstanceOfSatisfying(RpcErrorException.class, e -> assertThat(e.code()).isEqualTo(ErrorCodes.NOT_FOUND));
    }

    @Test
    void aFileThatIsNotAudioIsRefusedWithTheReason() throws Exception {
        CallibryClient admin = admin();
        Tenants.Tenant t = admin.tenants().create(new Tenants.Create(unique("audio"), null, null));
        Path text = Files.writeString(tmp.resolve("notes.wav"), "this is not audio at all");
        assertThatThrownBy(() -> admin.uploadAudio(text, "Notes", t.id()))
                .isInstanceOfSatisfying(RpcErrorException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCodes.INVALID_PARAMS);
                    assertThat(e.field()).isEqualTo("file");
                    assertThat(e.getMessage()).contains("not a WAV or MP3");
                });
        Path broken = Files.write(tmp.resolve("broken.wav"), "RIFF\0\0\0\0WAVEjunkjunkjunk".getBytes());
        assertThatThrownBy(() -> admin.uploadAudio(broken, "Broken", t.id()))
                .isInstanceOfSatisfying(RpcErrorException.class, e -> assertThat(e.field()).isEqualTo("file"));
        assertThat(admin.audio().list(new AudioFiles.ListParams(t.id(), null, null, null)).total()).isZero();
    }

    @Test
    void uploadNeedsCredentialsAndATenant() throws Exception {
        Path file = wav(tmp.resolve("x.wav"));
        assertThatThrownBy(() -> anonymous().uploadAudio(file, "x", 1L))
                .isInstanceOfSatisfying(RpcErrorException.class, e -> assertThat(e.code()).isEqualTo(ErrorCodes.UNAUTHENTICATED));
        assertThatThrownBy(() -> admin().uploadAudio(file, "x", null))
                .isInstanceOfSatisfying(RpcErrorException.class, e -> assertThat(e.field()).isEqualTo("tenantId"));
        assertThatThrownBy(() -> admin().uploadAudio(file, "x", 999_999L))
                .isInstanceOfSatisfying(RpcErrorException.class, e -> assertThat(e.field()).isEqualTo("tenantId"));
    }
}

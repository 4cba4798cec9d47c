package org.callibry.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.sciss.jump3r.lowlevel.LameEncoder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.callibry.shared.api.ErrorCodes;
import org.callibry.shared.api.client.CallibryClient;
import org.callibry.shared.api.client.RpcErrorException;
import org.callibry.shared.api.dto.AudioFiles;
import org.callibry.shared.api.dto.Tenants;
import org.callibry.server.directory.AudioPrompts;
import org.callibry.shared.media.Goertzel;
import org.callibry.shared.media.Tones;
import org.callibry.shared.media.WavWriter;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.junit.jupiter.api.io.TempDir;

/**
 * Audio files: upload (multipart), metadata, download of the same bytes, rename, delete, bad files
 * refused with the reason (not audio, broken WAV, 8-bit WAV, garbage named .mp3), conversion of any PCM
 * WAV and of MP3 (made here with jump3r, LAME in Java) to the 8 kHz mono playback format the media
 * server reads through {@link AudioPrompts}, by id and by name.
 */
class AudioApiIT extends ApiTestSupport {
    @Autowired
    AudioPrompts prompts;

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

    @Test
    void aStereo44kHzWavIsConvertedOnceTo8kHzMonoForPlayback() throws Exception {
        CallibryClient admin = admin();
        Tenants.Tenant t = admin.tenants().create(new Tenants.Create(unique("audio"), null, null));
        Tenants.Tenant other = admin.tenants().create(new Tenants.Create(unique("audio"), null, null));
        Path file = tmp.resolve("music.wav");
        short[] left = Tones.sine(440, 8000, 44_100, 44_100);
        short[] right = Tones.sine(440, 8000, 44_100, 44_100);
        short[] stereo = new short[2 * left.length];
        for (int i = 0; i < left.length; i++) {
            stereo[2 * i] = left[i];
            stereo[2 * i + 1] = right[i];
        }
        try (WavWriter w = new WavWriter(file, 44_100, 2)) {
            w.write(stereo);
        }
        AudioFiles.AudioFile a = admin.uploadAudio(file, "Music", t.id());
        assertThat(a.contentType()).isEqualTo("audio/wav");
        // the original is kept as uploaded
        assertThat(admin.downloadAudio(a.id())).isEqualTo(Files.readAllBytes(file));

        short[] playback = prompts.playback(t.id(), a.id()).orElseThrow();
        assertThat(playback).hasSize(8000);
        assertThat(Goertzel.dominant(playback, 8000, 220, 440, 880, 1000)).isEqualTo(440);
        assertThat(Math.sqrt(Goertzel.power(playback, 400, 7200, 8000, 440))).isBetween(7500.0, 8500.0);
        assertThat(prompts.playback(other.id(), a.id())).isEmpty();
        assertThat(prompts.playback(t.id(), 999_999_999L)).isEmpty();
        // by name, in any case, only in its own tenant
        assertThat(prompts.playbackByName(t.id(), "mUSIC")).hasValueSatisfying(s -> assertThat(s).isEqualTo(playback));
        assertThat(prompts.playbackByName(t.id(), "Musi")).isEmpty();
        assertThat(prompts.playbackByName(other.id(), "Music")).isEmpty();
        admin.audio().delete(a.id());
        assertThat(prompts.playback(t.id(), a.id())).isEmpty();
        assertThat(prompts.playbackByName(t.id(), "Music")).isEmpty();
    }

    @Test
    void unsupportedAudioIsRefusedNamingWhatIsWrong() throws Exception {
        CallibryClient admin = admin();
        Tenants.Tenant t = admin.tenants().create(new Tenants.Create(unique("audio"), null, null));
        Path eightBit = tmp.resolve("old.wav");
        AudioFormat format = new AudioFormat(8000, 8, 1, true, false);
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(new byte[800]), format, 800)) {
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, eightBit.toFile());
        }
        assertThatThrownBy(() -> admin.uploadAudio(eightBit, "Old", t.id()))
                .isInstanceOfSatisfying(RpcErrorException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCodes.INVALID_PARAMS);
                    assertThat(e.field()).isEqualTo("file");
                    assertThat(e.getMessage()).contains("8-bit").contains("16-bit PCM");
                });
        assertThat(admin.audio().list(new AudioFiles.ListParams(t.id(), null, null, null)).total()).isZero();
    }

    /** {@code seconds} of a 440 Hz tone (amplitude 8000) at {@code rate}, encoded by LAME (jump3r) at 128 kbps. */
    static Path mp3(Path file, int rate, int channels, double seconds) throws IOException {
        short[] tone = Tones.sine(440, 8000, rate, (int) (rate * seconds));
        byte[] pcm = new byte[tone.length * 2 * channels];
        for (int i = 0, b = 0; i < tone.length; i++) {
            for (int c = 0; c < channels; c++) {
                pcm[b++] = (byte) tone[i];
                pcm[b++] = (byte) (tone[i] >> 8);
            }
        }
        LameEncoder encoder = new LameEncoder(new AudioFormat(rate, 16, channels, true, false), 128,
                channels == 1 ? LameEncoder.CHANNEL_MODE_MONO : LameEncoder.CHANNEL_MODE_JOINT_STEREO,
                LameEncoder.QUALITY_MIDDLE, false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            int chunk = encoder.getPCMBufferSize() / (2 * channels) * (2 * channels);
            byte[] encoded = new byte[encoder.getMP3BufferSize()];
            for (int off = 0; off < pcm.length; off += chunk) {
                out.write(encoded, 0, encoder.encodeBuffer(pcm, off, Math.min(chunk, pcm.length - off), encoded));
            }
            out.write(encoded, 0, encoder.encodeFinish(encoded));
        } finally {
            encoder.close();
        }
        return Files.write(file, out.toByteArray());
    }

    @Test
    void mp3UploadsAreDecodedOnceTo8kHzMonoForPlayback() throws Exception {
        CallibryClient admin = admin();
        Tenants.Tenant t = admin.tenants().create(new Tenants.Create(unique("audio"), null, null));
        // MPEG-1 stereo at 44.1 kHz and MPEG-2 mono at 16 kHz: both downmixed/resampled to 8 kHz mono
        for (int[] format : new int[][]{{44_100, 2}, {16_000, 1}}) {
            Path file = mp3(tmp.resolve("tone-" + format[0] + ".mp3"), format[0], format[1], 1.0);
            AudioFiles.AudioFile a = admin.uploadAudio(file, "Tone " + format[0], t.id());
            assertThat(a.contentType()).isEqualTo("audio/mpeg");
            assertThat(a.fileName()).isEqualTo(file.getFileName().toString());
            assertThat(admin.downloadAudio(a.id())).as("the original is kept as uploaded").isEqualTo(Files.readAllBytes(file));

            short[] playback = prompts.playback(t.id(), a.id()).orElseThrow();
            // one second, plus the encoder's delay and the padding of its last frame (up to ~120 ms at 16 kHz)
            assertThat(playback.length).as("samples at 8 kHz from %s", format[0]).isBetween(7900, 9200);
            assertThat(Goertzel.dominant(playback, 8000, 220, 440, 880, 1000)).isEqualTo(440);
            assertThat(Math.sqrt(Goertzel.power(playback, 1000, 6000, 8000, 440))).as("tone level").isBetween(7000.0, 9000.0);
        }
    }

    @Test
    void garbageNamedMp3IsRefusedNamingWhatIsWrong() throws Exception {
        CallibryClient admin = admin();
        Tenants.Tenant t = admin.tenants().create(new Tenants.Create(unique("audio"), null, null));
        byte[] noise = new byte[8192];
        new java.util.Random(7).nextBytes(noise);
        byte[] tagged = new byte[10 + noise.length];
        System.arraycopy(new byte[]{'I', 'D', '3', 3, 0, 0, 0, 0, 0, 0}, 0, tagged, 0, 10);
        System.arraycopy(noise, 0, tagged, 10, noise.length);
        byte[] synced = noise.clone();
        synced[0] = (byte) 0xFF;
        synced[1] = (byte) 0xFB;
        byte[] cut = Files.readAllBytes(mp3(tmp.resolve("whole.mp3"), 44_100, 1, 0.5));
        byte[] head = java.util.Arrays.copyOf(new byte[]{'I', 'D', '3', 3, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFB}, 12);
        for (byte[] content : List.of(tagged, synced, head, java.util.Arrays.copyOf(cut, 300))) {
            Path file = Files.write(tmp.resolve("song.mp3"), content);
            assertThatThrownBy(() -> admin.uploadAudio(file, "Song", t.id()))
                    .isInstanceOfSatisfying(RpcErrorException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCodes.INVALID_PARAMS);
                        assertThat(e.field()).isEqualTo("file");
                        assertThat(e.getMessage()).contains("MP3");
                    });
        }
        assertThat(admin.audio().list(new AudioFiles.ListParams(t.id(), null, null, null)).total()).isZero();
    }
}

package org.callibry.server.directory.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.Optional;
import org.callibry.server.directory.AudioPrompts;
import org.callibry.server.storage.Sql;
import org.callibry.server.api.RpcException;
import org.callibry.shared.media.Resampler;
import org.callibry.shared.media.WavReader;
import org.callibry.shared.media.WavWriter;
import org.callibry.shared.api.dto.AudioFiles;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Audio files on disk under {@code <callibry.data-dir>/audio/<tenant>/}, their metadata in the
 * database. A file is accepted if it is a 16-bit PCM WAV or an MP3 (any rate, mono or stereo; MP3 is
 * decoded by {@link Mp3Decoder}); it is kept as uploaded (downloads return the same bytes) and
 * converted once to the playback format, 8 kHz mono 16-bit, stored beside it as {@code <key>.8k.wav}.
 */
@Component
class AudioLibrary implements AudioPrompts, org.callibry.server.directory.AudioUploads {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(AudioLibrary.class);
    static final String COLUMNS = "id, tenant_id, name, file_name, content_type, size_bytes, sha256, storage_key, created_at, updated_at";
    static final Map<String, String> UNIQUE = Map.of("audio_file_name_uq", "name");

    private final JdbcClient jdbc;
    private final Path root;

    AudioLibrary(JdbcClient jdbc, @Value("${callibry.data-dir}") Path dataDir) {
        this.jdbc = jdbc;
        this.root = dataDir.toAbsolutePath().resolve("audio");
    }

    /** A stored file's metadata and where its bytes are. */
    record Stored(AudioFiles.AudioFile file, Path path) {
    }

    AudioFiles.AudioFile store(long tenantId, String name, String originalName, InputStream content) {
        String stripped = name == null ? "" : name.strip();
        if (stripped.isEmpty() || stripped.length() > 200) {
            throw RpcException.invalid("name", "must be 1-200 characters");
        }
        try {
            Path dir = Files.createDirectories(root.resolve(Long.toString(tenantId)));
            Path tmp = Files.createTempFile(dir, "upload-", ".part");
            try {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                try (InputStream in = new DigestInputStream(content, sha)) {
                    Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                }
                long size = Files.size(tmp);
                if (size == 0) {
                    throw RpcException.invalid("file", "is empty");
                }
                String type = detect(tmp);
                String key = tenantId + "/" + UUID.randomUUID() + (MP3.equals(type) ? ".mp3" : ".wav");
                Path playback = playbackOf(root.resolve(key));
                try {
                    convert(tmp, type, playback);
                } catch (Mp3Decoder.InvalidMp3Exception e) {
                    throw RpcException.invalid("file", e.getMessage());
                }
                Files.move(tmp, root.resolve(key), StandardCopyOption.ATOMIC_MOVE);
                try {
                    return jdbc.sql("insert into audio_file (tenant_id, name, file_name, content_type, size_bytes, sha256, storage_key)"
                                    + " values (?, ?, ?, ?, ?, ?, ?) returning " + COLUMNS)
                            .params(tenantId, stripped, originalName == null ? "" : Path.of(originalName).getFileName().toString(),
                                    type, size, HexFormat.of().formatHex(sha.digest()), key)
                            .query(AudioLibrary::map).single();
                } catch (RuntimeException e) {
                    Files.deleteIfExists(root.resolve(key));
                    Files.deleteIfExists(playback);
                    if (e instanceof DataIntegrityViolationException d) {
                        throw Sql.conflict(d, UNIQUE);
                    }
                    throw e;
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store audio file: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public long store(long tenantId, String name, Path audio) {
        for (int attempt = 1; ; attempt++) {
            String unique = attempt == 1 ? name : name + "-" + attempt;
            try (InputStream in = Files.newInputStream(audio)) {
                return store(tenantId, unique, audio.getFileName().toString(), in).id();
            } catch (RpcException e) {
                if (e.code() != org.callibry.shared.api.ErrorCodes.CONFLICT || attempt >= 100) {
                    throw new IllegalArgumentException(e.getMessage(), e);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static final String WAV = "audio/wav";
    static final String MP3 = "audio/mpeg";

    /**
     * audio/wav for a 16-bit PCM RIFF/WAVE file, audio/mpeg for what starts like an MP3 (an ID3v2 tag
     * or an MPEG audio frame header; the decoder judges the rest); anything else is refused with the reason.
     */
    private static String detect(Path file) throws IOException {
        byte[] head = new byte[12];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        if (n >= 12 && new String(head, 0, 4, java.nio.charset.StandardCharsets.US_ASCII).equals("RIFF")
                && new String(head, 8, 4, java.nio.charset.StandardCharsets.US_ASCII).equals("WAVE")) {
            try (WavReader reader = WavReader.open(file)) {
                if (reader.read(new short[2], 0, 1) < 0) {
                    throw RpcException.invalid("file", "a WAV file without audio");
                }
                return WAV;
            } catch (WavReader.InvalidWavException e) {
                throw RpcException.invalid("file", "a WAV file that cannot be used: " + e.getMessage());
            }
        }
        if (n >= 3 && head[0] == 'I' && head[1] == 'D' && head[2] == '3'
                || n >= 2 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xE0) == 0xE0) {
            return MP3;
        }
        throw RpcException.invalid("file", "not a WAV or MP3 file");
    }

    /** Where the playback copy of a stored file is. */
    static Path playbackOf(Path original) {
        String name = original.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return original.resolveSibling((dot < 0 ? name : name.substring(0, dot)) + ".8k.wav");
    }

    /** Writes {@code audio} (a WAV or an MP3, as {@code type} says) as 8 kHz mono 16-bit into {@code playback}. */
    static void convert(Path audio, String type, Path playback) throws IOException {
        short[] samples;
        if (MP3.equals(type)) {
            Mp3Decoder.Mono in = Mp3Decoder.decode(audio);
            samples = Resampler.resample(in.samples(), in.sampleRate(), PLAYBACK_RATE);
        } else {
            WavReader.Wav in = WavReader.read(audio);
            samples = Resampler.resample(in.mono(), in.sampleRate(), PLAYBACK_RATE);
        }
        Path part = playback.resolveSibling(playback.getFileName() + ".part");
        try (WavWriter out = new WavWriter(part, PLAYBACK_RATE, 1)) {
            out.write(samples);
        }
        Files.move(part, playback, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static final int PLAYBACK_RATE = 8000;

    @Override
    public java.util.List<short[]> musicOnHold(long tenantId) {
        java.util.List<Long> ids = jdbc.sql("select id from audio_file where tenant_id = ? and lower(name) like 'moh%' order by name, id")
                .param(tenantId).query(Long.class).list();
        java.util.List<short[]> playlist = new java.util.ArrayList<>();
        for (Long id : ids) {
            try {
                playback(tenantId, id).ifPresent(playlist::add);
            } catch (RuntimeException e) {
                log.warn("Music-on-hold file {} of tenant {} cannot be played: {}", id, tenantId, e.getMessage());
            }
        }
        return playlist;
    }

    @Override
    public Optional<short[]> playbackByName(long tenantId, String name) {
        // audio_file_name_uq is on (tenant_id, lower(name)): at most one file matches
        return jdbc.sql("select id from audio_file where tenant_id = ? and lower(name) = lower(?)")
                .params(tenantId, name).query(Long.class).optional()
                .flatMap(id -> playback(tenantId, id));
    }

    @Override
    public Optional<short[]> playback(long tenantId, long audioFileId) {
        Optional<Stored> stored = jdbc.sql("select " + COLUMNS + " from audio_file where id = ? and tenant_id = ?")
                .params(audioFileId, tenantId)
                .query((rs, n) -> new Stored(map(rs, n), root.resolve(rs.getString("storage_key")))).optional();
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        Path original = stored.get().path();
        Path playback = playbackOf(original);
        try {
            if (!Files.exists(playback)) {
                // stored before uploads were converted
                convert(original, original.getFileName().toString().endsWith(".mp3") ? MP3 : WAV, playback);
            }
            return Optional.of(WavReader.read(playback).samples());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the audio file " + audioFileId + " for playback: " + e.getMessage(), e);
        }
    }

    Stored find(long id) {
        return jdbc.sql("select " + COLUMNS + " from audio_file where id = ?").param(id)
                .query((rs, n) -> new Stored(map(rs, n), root.resolve(rs.getString("storage_key"))))
                .optional().orElseThrow(() -> RpcException.notFound("audio", id));
    }

    void delete(Stored stored) {
        jdbc.sql("delete from audio_file where id = ?").param(stored.file().id()).update();
        try {
            Files.deleteIfExists(stored.path());
            Files.deleteIfExists(playbackOf(stored.path()));
        } catch (IOException e) {
            throw new UncheckedIOException("deleted the record but not the file " + stored.path() + ": " + e.getMessage(), e);
        }
    }


    static AudioFiles.AudioFile map(ResultSet rs, int n) throws SQLException {
        return new AudioFiles.AudioFile(rs.getLong("id"), rs.getLong("tenant_id"), rs.getString("name"), rs.getString("file_name"),
                rs.getString("content_type"), rs.getLong("size_bytes"), rs.getString("sha256"),
                Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"));
    }
}

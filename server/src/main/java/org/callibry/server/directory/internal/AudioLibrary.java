package org.callibry.server.directory.internal;

import java.io.BufferedInputStream;
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
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import org.callibry.server.storage.Sql;
import org.callibry.server.api.RpcException;
import org.callibry.shared.api.dto.AudioFiles;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Audio files on disk under {@code <callibry.data-dir>/audio/<tenant>/}, their metadata in the
 * database. A file is accepted only if it is a WAV that Java can read or an MPEG audio (MP3) stream.
 */
@Component
class AudioLibrary {
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
                String key = tenantId + "/" + UUID.randomUUID() + (type.equals("audio/wav") ? ".wav" : ".mp3");
                Files.move(tmp, root.resolve(key), StandardCopyOption.ATOMIC_MOVE);
                try {
                    return jdbc.sql("insert into audio_file (tenant_id, name, file_name, content_type, size_bytes, sha256, storage_key)"
                                    + " values (?, ?, ?, ?, ?, ?, ?) returning " + COLUMNS)
                            .params(tenantId, stripped, originalName == null ? "" : Path.of(originalName).getFileName().toString(),
                                    type, size, HexFormat.of().formatHex(sha.digest()), key)
                            .query(AudioLibrary::map).single();
                } catch (RuntimeException e) {
                    Files.deleteIfExists(root.resolve(key));
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

    /** audio/wav for a RIFF/WAVE file Java can parse, audio/mpeg for an MP3 (ID3 tag or MPEG frame sync). */
    private static String detect(Path file) throws IOException {
        byte[] head = new byte[12];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        if (n >= 12 && new String(head, 0, 4, java.nio.charset.StandardCharsets.US_ASCII).equals("RIFF")
                && new String(head, 8, 4, java.nio.charset.StandardCharsets.US_ASCII).equals("WAVE")) {
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
                AudioSystem.getAudioFileFormat(in);
                return "audio/wav";
            } catch (UnsupportedAudioFileException e) {
                throw RpcException.invalid("file", "a WAV file whose format cannot be read: " + e.getMessage());
            }
        }
        if (n >= 3 && head[0] == 'I' && head[1] == 'D' && head[2] == '3'
                || n >= 2 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xE0) == 0xE0) {
            return "audio/mpeg";
        }
        throw RpcException.invalid("file", "not a WAV or MP3 file");
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

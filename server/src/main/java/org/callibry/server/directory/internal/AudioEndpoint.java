package org.callibry.server.directory.internal;

import org.callibry.server.storage.Sql;
import org.callibry.server.api.Caller;
import org.callibry.server.api.RpcException;
import org.callibry.server.api.RpcMethod;
import org.callibry.server.directory.DirectoryChanged;
import org.callibry.shared.api.Methods;
import org.callibry.shared.api.Role;
import org.callibry.shared.api.dto.AudioFiles;
import org.callibry.shared.api.dto.IdParams;
import org.callibry.shared.api.dto.Page;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** {@code audio.*}: list, rename and delete audio files (upload and download are HTTP, see {@link AudioHttp}). */
@Component
class AudioEndpoint {
    static final Role[] ROLES = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER};

    private final JdbcClient jdbc;
    private final AudioLibrary library;
    private final ApplicationEventPublisher events;

    AudioEndpoint(JdbcClient jdbc, AudioLibrary library, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.library = library;
        this.events = events;
    }

    @RpcMethod(value = "audio.list", roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER},
            summary = "Audio files, paged; upload with POST /api/audio, download with GET /api/audio/{id}")
    Page<AudioFiles.AudioFile> list(Caller caller, AudioFiles.ListParams params) {
        Sql.Where where = new Sql.Where().eq("tenant_id", caller.scopeTenant(params.tenantId(), "tenantId"))
                .search(params.query(), "name", "file_name");
        return Sql.page(jdbc, AudioLibrary.COLUMNS, "audio_file", where, "lower(name), id", params.offset(), params.limit(),
                AudioLibrary::map);
    }

    @RpcMethod(value = "audio.get", roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER}, summary = "One audio file's metadata")
    AudioFiles.AudioFile get(Caller caller, IdParams params) {
        return visible(caller, params.id()).file();
    }

    @RpcMethod(value = "audio.update", roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER}, summary = "Rename an audio file")
    AudioFiles.AudioFile update(Caller caller, AudioFiles.Update params) {
        AudioLibrary.Stored s = visible(caller, params.id());
        try {
            AudioFiles.AudioFile f = jdbc.sql("update audio_file set name = coalesce(?, name), updated_at = now() where id = ? returning "
                            + AudioLibrary.COLUMNS)
                    .params(params.name() == null ? null : params.name().strip(), s.file().id())
                    .query(AudioLibrary::map).single();
            events.publishEvent(new DirectoryChanged(Methods.AUDIO, f.id(), f.tenantId(), "updated"));
            return f;
        } catch (DataIntegrityViolationException e) {
            throw Sql.conflict(e, AudioLibrary.UNIQUE);
        }
    }

    @RpcMethod(value = "audio.delete", roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER}, summary = "Delete an audio file")
    void delete(Caller caller, IdParams params) {
        AudioLibrary.Stored s = visible(caller, params.id());
        library.delete(s);
        events.publishEvent(new DirectoryChanged(Methods.AUDIO, s.file().id(), s.file().tenantId(), "deleted"));
    }

    AudioLibrary.Stored visible(Caller caller, long id) {
        AudioLibrary.Stored s = library.find(id);
        if (!caller.canSee(s.file().tenantId())) {
            throw RpcException.notFound("audio", id);
        }
        return s;
    }
}

package org.callibry.server.recording.internal;

import java.time.ZoneOffset;
import org.callibry.server.api.Caller;
import org.callibry.server.api.RpcException;
import org.callibry.server.api.RpcMethod;
import org.callibry.server.storage.Sql;
import org.callibry.shared.api.Role;
import org.callibry.shared.api.dto.IdParams;
import org.callibry.shared.api.dto.Page;
import org.callibry.shared.api.dto.Recordings;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * {@code recording.list/get/delete}. Roles and tenant scope as {@code cdr.search}: admins see every
 * tenant (or theirs when bound to one), supervisors and customers their own tenant; operators none.
 * Someone else's recording is "not found", never "forbidden".
 */
@Component
class RecordingEndpoint {
    static final Role[] ROLES = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER};

    private final JdbcClient jdbc;
    private final RecordingCatalogue catalogue;
    private final RecordingFiles files;

    RecordingEndpoint(JdbcClient jdbc, RecordingCatalogue catalogue, RecordingFiles files) {
        this.jdbc = jdbc;
        this.catalogue = catalogue;
        this.files = files;
    }

    @RpcMethod(value = "recording.list", roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER},
            summary = "Call recordings, newest first; filters: callId, number (A or B, prefix), timeFrom/timeTo, tenantId;"
                    + " paged; the audio is GET /api/recordings/{id}.mp3")
    Page<Recordings.Recording> list(Caller caller, Recordings.ListParams params) {
        if (params.timeFrom() != null && params.timeTo() != null && !params.timeTo().isAfter(params.timeFrom())) {
            throw RpcException.invalid("timeTo", "must be after timeFrom");
        }
        Sql.Where where = new Sql.Where().eq("tenant_id", caller.scopeTenant(params.tenantId(), "tenantId"))
                .eq("call_id", params.callId() == null || params.callId().isBlank() ? null : params.callId().strip());
        if (params.number() != null && !params.number().isBlank()) {
            where.and("(lower(a_number) like :number or lower(b_number) like :number)", "number",
                    params.number().strip().toLowerCase(java.util.Locale.ROOT)
                            .replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        }
        if (params.timeFrom() != null) {
            where.and("started_at >= :timeFrom", "timeFrom", params.timeFrom().atOffset(ZoneOffset.UTC));
        }
        if (params.timeTo() != null) {
            where.and("started_at < :timeTo", "timeTo", params.timeTo().atOffset(ZoneOffset.UTC));
        }
        return Sql.page(jdbc, RecordingCatalogue.COLUMNS, "recording", where, "started_at desc, id desc", params.offset(),
                params.limit(), RecordingCatalogue::map);
    }

    @RpcMethod(value = "recording.get", roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER}, summary = "One call recording")
    Recordings.Recording get(Caller caller, IdParams params) {
        return visible(caller, params.id()).recording();
    }

    @RpcMethod(value = "recording.delete", roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER},
            summary = "Delete a call recording: its MP3 file and its row")
    void delete(Caller caller, IdParams params) {
        files.delete(visible(caller, params.id()));
    }

    /** The recording if the caller may see it, else not found. */
    RecordingCatalogue.Entry visible(Caller caller, long id) {
        RecordingCatalogue.Entry e = catalogue.find(id).orElseThrow(() -> RpcException.notFound("recording", id));
        Long tenant = e.recording().tenantId();
        if (tenant == null ? caller.tenantBound() : !caller.canSee(tenant)) {
            throw RpcException.notFound("recording", id);
        }
        return e;
    }
}

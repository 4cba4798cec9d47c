package org.callibry.server.recording.internal;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.callibry.server.api.ApiAuthentication;
import org.callibry.server.api.Caller;
import org.callibry.server.api.HttpErrors;
import org.callibry.server.api.RpcException;
import org.callibry.shared.api.ErrorCodes;
import org.callibry.shared.api.dto.Recordings;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/recordings/{id}.mp3}: the recording's MP3, with the credentials, roles and tenant
 * scope of {@code recording.get}. A {@code Resource} body lets Spring MVC answer {@code Range}
 * requests (RFC 9110 §14: 206 with {@code Content-Range}, 416 when unsatisfiable), so a browser's
 * audio player can seek.
 */
@RestController
class RecordingHttp {
    private final ApiAuthentication auth;
    private final RecordingEndpoint endpoint;
    private final RecordingFiles files;

    RecordingHttp(ApiAuthentication auth, RecordingEndpoint endpoint, RecordingFiles files) {
        this.auth = auth;
        this.endpoint = endpoint;
        this.files = files;
    }

    @GetMapping("/api/recordings/{id}.mp3")
    ResponseEntity<Resource> download(HttpServletRequest request, @PathVariable("id") long id) {
        Caller caller = auth.require(request, RecordingEndpoint.ROLES);
        RecordingCatalogue.Entry e = endpoint.visible(caller, id);
        Path mp3 = files.mp3(e);
        if (e.recording().state() != Recordings.State.READY || !Files.isRegularFile(mp3)) {
            throw new RpcException(ErrorCodes.NOT_FOUND, "Recording " + id + " has no audio: it is "
                    + e.recording().state().name().toLowerCase(java.util.Locale.ROOT)
                    + (e.recording().error() == null ? "" : " (" + e.recording().error() + ")"),
                    Map.of("id", id, "state", e.recording().state().name()));
        }
        return ResponseEntity.ok()
                .contentType(org.springframework.http.MediaType.parseMediaType("audio/mpeg"))
                .header(HttpHeaders.ACCEPT_RANGES, "bytes")
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.inline().filename("recording-" + id + ".mp3").build().toString())
                .body(new FileSystemResource(mp3));
    }

    @ExceptionHandler(RpcException.class)
    ResponseEntity<Map<String, Object>> rpcError(RpcException e) {
        return HttpErrors.of(e);
    }
}

package org.callibry.server.directory.internal;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import org.callibry.server.api.ApiAuthentication;
import org.callibry.server.api.Caller;
import org.callibry.server.api.HttpErrors;
import org.callibry.server.api.RpcException;
import org.callibry.server.directory.DirectoryChanged;
import org.callibry.shared.api.ErrorCodes;
import org.callibry.shared.api.Methods;
import org.callibry.shared.api.dto.AudioFiles;
import org.springframework.core.io.InputStreamResource;
import org.springframework.core.io.Resource;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.multipart.MultipartFile;

/**
 * {@code POST /api/audio} (multipart: {@code file}, {@code name}, optional {@code tenantId}) and
 * {@code GET /api/audio/{id}}. Same credentials and roles as {@code audio.*}; answers and errors are
 * JSON-RPC response objects (with a matching HTTP status) so clients handle them like RPC results.
 */
@RestController
class AudioHttp {
    private final ApiAuthentication auth;
    private final AudioLibrary library;
    private final AudioEndpoint endpoint;
    private final TenantEndpoint tenants;
    private final ApplicationEventPublisher events;

    AudioHttp(ApiAuthentication auth, AudioLibrary library, AudioEndpoint endpoint, TenantEndpoint tenants,
              ApplicationEventPublisher events) {
        this.tenants = tenants;
        this.auth = auth;
        this.library = library;
        this.endpoint = endpoint;
        this.events = events;
    }

    @PostMapping(path = "/api/audio", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> upload(HttpServletRequest request,
                                               @RequestParam(name = "file", required = false) MultipartFile file,
                                               @RequestParam(name = "name", required = false) String name,
                                               @RequestParam(name = "tenantId", required = false) String tenantIdText)
            throws IOException {
        Caller caller = auth.require(request, AudioEndpoint.ROLES);
        Long requested;
        try {
            requested = tenantIdText == null || tenantIdText.isBlank() ? null : Long.valueOf(tenantIdText.strip());
        } catch (NumberFormatException e) {
            throw RpcException.invalid("tenantId", "must be a number");
        }
        Long tenantId = caller.scopeTenant(requested, "tenantId");
        if (tenantId == null) {
            throw RpcException.invalid("tenantId", "must not be null");
        }
        if (file == null || file.isEmpty()) {
            throw RpcException.invalid("file", "missing or empty");
        }
        AudioFiles.AudioFile stored;
        tenants.named(tenantId, "tenantId");
        try (InputStream in = file.getInputStream()) {
            stored = library.store(tenantId, name, file.getOriginalFilename(), in);
        }
        events.publishEvent(new DirectoryChanged(Methods.AUDIO, stored.id(), stored.tenantId(), "created"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("jsonrpc", "2.0");
        body.put("result", stored);
        body.put("id", null);
        return ResponseEntity.status(HttpStatus.CREATED).body(body);
    }

    @GetMapping("/api/audio/{id}")
    ResponseEntity<Resource> download(HttpServletRequest request, @PathVariable("id") long id) throws IOException {
        Caller caller = auth.require(request, AudioEndpoint.ROLES);
        AudioLibrary.Stored s = endpoint.visible(caller, id);
        String fileName = s.file().fileName().isBlank() ? s.file().name() : s.file().fileName();
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(s.file().contentType()))
                .contentLength(Files.size(s.path()))
                .header("Content-Disposition", ContentDisposition.attachment().filename(fileName, java.nio.charset.StandardCharsets.UTF_8)
                        .build().toString())
                .body(new InputStreamResource(Files.newInputStream(s.path())));
    }

    @ExceptionHandler(RpcException.class)
    ResponseEntity<Map<String, Object>> rpcError(RpcException e) {
        return HttpErrors.of(e);
    }

    @ExceptionHandler(MaxUploadSizeExceededException.class)
    ResponseEntity<Map<String, Object>> tooLarge(MaxUploadSizeExceededException e) {
        return HttpErrors.of(HttpStatus.CONTENT_TOO_LARGE, ErrorCodes.INVALID_PARAMS, "Invalid params: file: larger than the upload limit",
                Map.of("field", "file", "reason", "larger than the upload limit"));
    }

    @ExceptionHandler(MultipartException.class)
    ResponseEntity<Map<String, Object>> badMultipart(MultipartException e) {
        return HttpErrors.of(HttpStatus.BAD_REQUEST, ErrorCodes.INVALID_PARAMS, "Invalid params: expected multipart/form-data with a file part",
                Map.of("field", "file", "reason", "expected multipart/form-data"));
    }
}

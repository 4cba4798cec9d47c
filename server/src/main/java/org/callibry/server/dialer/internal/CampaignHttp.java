package org.callibry.server.dialer.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.callibry.server.api.ApiAuthentication;
import org.callibry.server.api.Caller;
import org.callibry.server.api.HttpErrors;
import org.callibry.server.api.RpcException;
import org.callibry.shared.api.ErrorCodes;
import org.callibry.shared.api.dto.Campaigns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
import org.springframework.web.multipart.MultipartFile;

/**
 * The dialer's files: {@code POST /api/campaigns/{id}/numbers} (the number list, CSV as the request
 * body or a multipart {@code file}), {@code GET /api/campaigns/{id}/results.csv} (one row per number),
 * and {@code POST /api/dnc} (numbers for the do-not-call list, same forms, {@code tenantId} as a query
 * parameter for admins). Same credentials, roles and tenant scope as {@code campaign.*}; answers and
 * errors are JSON-RPC response objects with a matching HTTP status.
 */
@RestController
class CampaignHttp {
    private static final Logger log = LoggerFactory.getLogger(CampaignHttp.class);
    /** The largest CSV taken as a plain request body (multipart uploads have the server's upload limit). */
    static final int MAX_BODY = 50 * 1024 * 1024;

    private final ApiAuthentication auth;
    private final CampaignEndpoint campaigns;
    private final CampaignStore store;
    private final Dialer dialer;

    CampaignHttp(ApiAuthentication auth, CampaignEndpoint campaigns, CampaignStore store, Dialer dialer) {
        this.auth = auth;
        this.campaigns = campaigns;
        this.store = store;
        this.dialer = dialer;
    }

    @PostMapping(path = "/api/campaigns/{id}/numbers", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> numbers(HttpServletRequest request, @PathVariable("id") long id,
                                                @RequestParam(name = "file", required = false) MultipartFile file) throws IOException {
        Caller caller = auth.require(request, CampaignEndpoint.ROLES);
        Campaigns.Campaign c = campaigns.visible(caller, id);
        NumberList.Parsed parsed = parse(request, file);
        Campaigns.Upload upload = store.add(c.id(), c.tenantId(), parsed);
        dialer.numbersAdded(c.id());
        log.info("Campaign {}: {} numbers added of {} lines ({} malformed, {} duplicates, {} on the do-not-call list)", c.id(),
                upload.added(), upload.lines(), upload.malformed(), upload.duplicates(), upload.dnc());
        return result(upload);
    }

    @GetMapping("/api/campaigns/{id}/results.csv")
    void results(HttpServletRequest request, HttpServletResponse response, @PathVariable("id") long id) throws IOException {
        Caller caller = auth.require(request, CampaignEndpoint.ROLES);
        Campaigns.Campaign c = campaigns.visible(caller, id);
        response.setStatus(HttpServletResponse.SC_OK);
        // RFC 4180 §3: the optional header parameter says the first record names the fields
        response.setContentType("text/csv; charset=UTF-8; header=present");
        response.setHeader("Content-Disposition", ContentDisposition.attachment().filename("campaign-" + c.id() + "-results.csv")
                .build().toString());
        try (Writer out = new BufferedWriter(new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8), 1 << 16)) {
            store.results(c.id(), out);
        } catch (IOException | UncheckedIOException e) {
            log.debug("Results of campaign {} for {} ended early: {}", c.id(), caller.username(), e.getMessage());
        }
    }

    @PostMapping(path = "/api/dnc", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> dnc(HttpServletRequest request,
                                            @RequestParam(name = "file", required = false) MultipartFile file,
                                            @RequestParam(name = "tenantId", required = false) String tenantIdText) throws IOException {
        Caller caller = auth.require(request, CampaignEndpoint.ROLES);
        Long requested;
        try {
            requested = tenantIdText == null || tenantIdText.isBlank() ? null : Long.valueOf(tenantIdText.strip());
        } catch (NumberFormatException e) {
            throw RpcException.invalid("tenantId", "must be a number");
        }
        long tenant = DncEndpoint.tenant(caller, requested);
        NumberList.Parsed parsed = parse(request, file);
        List<String> numbers = parsed.rows().stream().map(NumberList.Row::number).toList();
        String note = "uploaded by " + caller.username();
        int added = numbers.isEmpty() ? 0 : store.addDnc(tenant, numbers, note);
        return result(new Campaigns.Upload(parsed.lines(), added, parsed.malformed(),
                parsed.duplicates() + numbers.size() - added, 0, parsed.problems()));
    }

    /** The CSV of a multipart {@code file} part, else of the request body, parsed; unreadable files are refused. */
    private static NumberList.Parsed parse(HttpServletRequest request, MultipartFile file) throws IOException {
        String text;
        if (file != null) {
            text = new String(file.getBytes(), StandardCharsets.UTF_8);
        } else {
            try (InputStream in = request.getInputStream()) {
                byte[] body = in.readNBytes(MAX_BODY + 1);
                if (body.length > MAX_BODY) {
                    throw RpcException.invalid("file", "larger than " + MAX_BODY / (1024 * 1024) + " MB");
                }
                text = new String(body, StandardCharsets.UTF_8);
            }
        }
        if (text.isBlank()) {
            throw RpcException.invalid("file", "missing or empty: send the CSV as the body or as a multipart 'file'");
        }
        try {
            return NumberList.parse(text);
        } catch (IllegalArgumentException e) {
            throw RpcException.invalid("file", e.getMessage());
        }
    }

    private static ResponseEntity<Map<String, Object>> result(Object result) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("jsonrpc", "2.0");
        body.put("result", result);
        body.put("id", null);
        return ResponseEntity.ok(body);
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
}

package org.callibry.server.cdr.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.callibry.server.api.ApiAuthentication;
import org.callibry.server.api.Caller;
import org.callibry.server.api.HttpErrors;
import org.callibry.server.api.QueryParameters;
import org.callibry.server.api.RpcException;
import org.callibry.server.storage.Sql;
import org.callibry.shared.api.ErrorCodes;
import org.callibry.shared.api.dto.Cdrs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/cdr.csv}: every call matching the query parameters (those of {@link Cdrs.Filter}) as
 * CSV (RFC 4180, UTF-8, header row), streamed. Same credentials, roles and tenant scope as
 * {@code cdr.search}; errors before the first byte are JSON-RPC error objects with a matching status.
 */
@RestController
class CdrCsv {
    private static final Logger log = LoggerFactory.getLogger(CdrCsv.class);
    private static final Set<String> PARAMS = Set.of("from", "to", "match", "timeFrom", "timeTo", "disposition", "route",
            "tenantId");

    private final ApiAuthentication auth;
    private final CdrExport export;
    private final Validator validator;

    CdrCsv(ApiAuthentication auth, CdrExport export, Validator validator) {
        this.auth = auth;
        this.export = export;
        this.validator = validator;
    }

    @GetMapping("/api/cdr.csv")
    void download(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Caller caller = auth.require(request, CdrEndpoint.ROLES);
        Sql.Where where = CdrQuery.where(caller, filter(request.getParameterMap()));
        response.setStatus(HttpServletResponse.SC_OK);
        // RFC 4180 §3: the optional header parameter says the first record names the fields
        response.setContentType("text/csv; charset=UTF-8; header=present");
        response.setHeader("Content-Disposition", ContentDisposition.attachment().filename("cdr.csv").build().toString());
        try (Writer out = new BufferedWriter(new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8), 1 << 16)) {
            long rows = export.write(where, out);
            log.debug("CDR export for {}: {} rows", caller.username(), rows);
        } catch (IOException | UncheckedIOException e) {
            // the client went away mid-download; nothing more can be said to it
            log.debug("CDR export for {} ended early: {}", caller.username(), e.getMessage());
        }
    }

    /** The query parameters as a filter: unknown or repeated names, bad numbers, instants and constants refused. */
    Cdrs.Filter filter(Map<String, String[]> query) {
        Map<String, String> p = QueryParameters.single(query, PARAMS);
        Cdrs.Filter filter = new Cdrs.Filter(p.get("from"), p.get("to"), constant(p, "match", Cdrs.Match.class),
                QueryParameters.instant(p, "timeFrom"), QueryParameters.instant(p, "timeTo"),
                constant(p, "disposition", Cdrs.Disposition.class), p.get("route"), QueryParameters.number(p, "tenantId"));
        Set<ConstraintViolation<Cdrs.Filter>> violations = validator.validate(filter);
        violations.stream().min(Comparator.comparing(v -> v.getPropertyPath().toString())).ifPresent(v -> {
            throw RpcException.invalid(v.getPropertyPath().toString(), v.getMessage());
        });
        return filter;
    }

    private static <E extends Enum<E>> E constant(Map<String, String> p, String name, Class<E> type) {
        String v = p.get(name);
        try {
            return v == null ? null : Enum.valueOf(type, v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw RpcException.invalid(name, "must be one of " + Arrays.toString(type.getEnumConstants()));
        }
    }

    @ExceptionHandler(RpcException.class)
    ResponseEntity<Map<String, Object>> rpcError(RpcException e) {
        return HttpErrors.of(e);
    }
}

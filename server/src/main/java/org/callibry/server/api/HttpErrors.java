package org.callibry.server.api;

import java.util.LinkedHashMap;
import java.util.Map;
import org.callibry.shared.api.ErrorCodes;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * Errors of the plain HTTP endpoints beside {@code /api/rpc} (file transfer, CSV export): the same
 * JSON-RPC error object, with the HTTP status that matches its code, so clients handle both alike.
 */
public final class HttpErrors {
    private HttpErrors() {
    }

    public static ResponseEntity<Map<String, Object>> of(RpcException e) {
        HttpStatus status = switch (e.code()) {
            case ErrorCodes.UNAUTHENTICATED -> HttpStatus.UNAUTHORIZED;
            case ErrorCodes.FORBIDDEN -> HttpStatus.FORBIDDEN;
            case ErrorCodes.NOT_FOUND -> HttpStatus.NOT_FOUND;
            case ErrorCodes.CONFLICT -> HttpStatus.CONFLICT;
            case ErrorCodes.RATE_LIMITED -> HttpStatus.TOO_MANY_REQUESTS;
            default -> HttpStatus.BAD_REQUEST;
        };
        return of(status, e.code(), e.getMessage(), e.data());
    }

    public static ResponseEntity<Map<String, Object>> of(HttpStatus status, int code, String message, Map<String, Object> data) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        if (data != null) {
            error.put("data", data);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("jsonrpc", "2.0");
        body.put("error", error);
        body.put("id", null);
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(body);
    }
}

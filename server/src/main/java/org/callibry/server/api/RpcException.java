package org.callibry.server.api;

import java.util.LinkedHashMap;
import java.util.Map;
import org.callibry.shared.api.ErrorCodes;

/**
 * A JSON-RPC error to return to the caller, with a code from {@link ErrorCodes} and an optional
 * {@code data} member ({@code field} names the parameter at fault).
 */
public final class RpcException extends RuntimeException {
    private final int code;
    private final transient Map<String, Object> data;

    public RpcException(int code, String message, Map<String, Object> data) {
        super(message, null, false, false);
        this.code = code;
        this.data = data;
    }

    public int code() {
        return code;
    }

    public Map<String, Object> data() {
        return data;
    }

    private static Map<String, Object> field(String field, String reason) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("field", field);
        d.put("reason", reason);
        return d;
    }

    public static RpcException invalid(String field, String reason) {
        return new RpcException(ErrorCodes.INVALID_PARAMS, "Invalid params: " + field + ": " + reason, field(field, reason));
    }

    public static RpcException notFound(String what, long id) {
        return new RpcException(ErrorCodes.NOT_FOUND, what + " " + id + " not found", Map.of("field", "id"));
    }

    public static RpcException conflict(String field, String reason) {
        return new RpcException(ErrorCodes.CONFLICT, "Conflict: " + field + ": " + reason, field(field, reason));
    }

    public static RpcException forbidden(String field, String reason) {
        return new RpcException(ErrorCodes.FORBIDDEN, "Forbidden: " + field + ": " + reason, field(field, reason));
    }

    public static RpcException unauthenticated(String reason) {
        return new RpcException(ErrorCodes.UNAUTHENTICATED, "Unauthenticated: " + reason, null);
    }
}

package org.callibry.shared.api.client;

import tools.jackson.databind.JsonNode;

/** A JSON-RPC error object returned by the server, thrown by {@link CallibryClient}. */
public final class RpcErrorException extends RuntimeException {
    private final int code;
    private final transient JsonNode data;

    public RpcErrorException(int code, String message, JsonNode data) {
        super(code + " " + message);
        this.code = code;
        this.data = data;
    }

    public int code() {
        return code;
    }

    /** The error's {@code data} member, or a missing node. */
    public JsonNode data() {
        return data;
    }

    /** The offending parameter named by an invalid-params or conflict error, or null. */
    public String field() {
        if (data == null || !data.has("field")) {
            return null;
        }
        return data.get("field").asString();
    }
}

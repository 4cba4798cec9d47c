package org.callibry.server.api;

/**
 * Calls a JSON-RPC method in-process as a given caller, for server-rendered pages: the same role check,
 * parameter binding and validation, tenant scoping and metrics as {@code POST /api/rpc}, without the
 * JSON round trip through HTTP. Failures are the {@link RpcException} the method (or the check) threw.
 */
public interface RpcInvoker {

    /**
     * Invokes {@code method} as {@code caller} with {@code params} (a parameters record, a map, or null)
     * and converts the result to {@code resultType} (null for methods without a result).
     */
    <T> T call(Caller caller, String method, Object params, Class<T> resultType);

    /** As {@link #call(Caller, String, Object, Class)}, for generic results such as {@code List<Kpis.QueueKpi>}. */
    <T> T call(Caller caller, String method, Object params, tools.jackson.core.type.TypeReference<T> resultType);
}

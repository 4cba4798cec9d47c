package org.callibry.server.api.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.lang.reflect.InvocationTargetException;
import java.util.Map;
import org.callibry.server.api.CallContext;
import org.callibry.server.api.Caller;
import org.callibry.server.api.RpcException;
import org.callibry.shared.api.ErrorCodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON-RPC 2.0 processing of one request body (JSON-RPC 2.0 §4-§6): validates the request objects,
 * checks the caller's role, binds params, invokes the method and builds the response objects.
 */
@Component
class RpcDispatcher {
    private static final Logger log = LoggerFactory.getLogger(RpcDispatcher.class);

    /** Credentials of the HTTP request, resolved only when a method needs them. */
    interface Credentials {
        /** The caller, null when the request carried no credentials; throws when they are invalid. */
        Caller caller();

        CallContext context();
    }

    private final RpcRegistry registry;
    private final ParamsBinder binder;
    private final JsonMapper json;
    private final MeterRegistry meters;
    private final int maxBatch;

    RpcDispatcher(RpcRegistry registry, ParamsBinder binder, JsonMapper json, MeterRegistry meters, ApiProperties properties) {
        this.registry = registry;
        this.binder = binder;
        this.json = json;
        this.meters = meters;
        this.maxBatch = properties.maxBatch();
    }

    /** The response body for a request body, or null when nothing is to be sent (only notifications). */
    JsonNode handle(byte[] body, Credentials credentials) {
        JsonNode request;
        try {
            request = json.readTree(body);
        } catch (RuntimeException e) {
            return error(null, ErrorCodes.PARSE_ERROR, "Parse error: " + firstLine(e.getMessage()), null);
        }
        if (request == null || request.isMissingNode()) {
            return error(null, ErrorCodes.PARSE_ERROR, "Parse error: empty body", null);
        }
        if (!request.isArray()) {
            return handleOne(request, credentials);
        }
        // JSON-RPC 2.0 §6: an empty batch is one invalid request; a batch of only notifications gets nothing back
        if (request.isEmpty()) {
            return error(null, ErrorCodes.INVALID_REQUEST, "Invalid Request: empty batch", null);
        }
        if (request.size() > maxBatch) {
            return error(null, ErrorCodes.INVALID_REQUEST, "Invalid Request: batch larger than " + maxBatch, null);
        }
        ArrayNode responses = json.createArrayNode();
        for (JsonNode one : request) {
            JsonNode response = handleOne(one, credentials);
            if (response != null) {
                responses.add(response);
            }
        }
        return responses.isEmpty() ? null : responses;
    }

    private JsonNode handleOne(JsonNode request, Credentials credentials) {
        if (!request.isObject()) {
            return error(null, ErrorCodes.INVALID_REQUEST, "Invalid Request: not an object", null);
        }
        JsonNode id = request.get("id");
        boolean notification = !request.has("id");
        if (id != null && !(id.isString() || id.isNumber() || id.isNull())) {
            return error(null, ErrorCodes.INVALID_REQUEST, "Invalid Request: id must be a string, number or null", null);
        }
        JsonNode version = request.get("jsonrpc");
        if (version == null || !version.isString() || !"2.0".equals(version.asString())) {
            return error(id, ErrorCodes.INVALID_REQUEST, "Invalid Request: jsonrpc must be \"2.0\"", null);
        }
        JsonNode methodNode = request.get("method");
        if (methodNode == null || !methodNode.isString()) {
            return error(id, ErrorCodes.INVALID_REQUEST, "Invalid Request: method must be a string", null);
        }
        JsonNode params = request.get("params");
        if (params != null && !(params.isObject() || params.isArray())) {
            return error(id, ErrorCodes.INVALID_REQUEST, "Invalid Request: params must be an object or an array", null);
        }
        String name = methodNode.asString();
        RegisteredMethod method = registry.find(name);
        if (method == null) {
            return notification ? null : error(id, ErrorCodes.METHOD_NOT_FOUND, "Method not found: " + name, null);
        }
        Timer.Sample sample = Timer.start(meters);
        String outcome = "ok";
        try {
            Object result = invoke(method, params, credentials);
            return notification ? null : success(id, result);
        } catch (RpcException e) {
            outcome = Integer.toString(e.code());
            return notification ? null : error(id, e.code(), e.getMessage(), e.data());
        } catch (RuntimeException e) {
            outcome = "internal";
            log.error("JSON-RPC method {} failed", name, e);
            return notification ? null : error(id, ErrorCodes.INTERNAL_ERROR, "Internal error", null);
        } finally {
            sample.stop(meters.timer("callibry.rpc.calls", "method", name, "outcome", outcome));
        }
    }

    /**
     * Invokes a method in-process as {@code caller} (see {@link InProcessRpc}): role check, binding,
     * validation and metrics as for a request over HTTP.
     */
    Object invokeAs(String name, JsonNode params, Caller caller) {
        RegisteredMethod method = registry.find(name);
        if (method == null) {
            throw new RpcException(ErrorCodes.METHOD_NOT_FOUND, "Method not found: " + name, null);
        }
        CallContext context = new CallContext(null, null);
        Credentials credentials = new Credentials() {
            @Override
            public Caller caller() {
                return caller;
            }

            @Override
            public CallContext context() {
                return context;
            }
        };
        Timer.Sample sample = Timer.start(meters);
        String outcome = "ok";
        try {
            return invoke(method, params, credentials);
        } catch (RpcException e) {
            outcome = Integer.toString(e.code());
            throw e;
        } catch (RuntimeException e) {
            outcome = "internal";
            throw e;
        } finally {
            sample.stop(meters.timer("callibry.rpc.calls", "method", name, "outcome", outcome));
        }
    }

    private Object invoke(RegisteredMethod method, JsonNode params, Credentials credentials) {
        Caller caller = null;
        if (!method.meta().anonymous()) {
            caller = credentials.caller();
            if (caller == null) {
                throw RpcException.unauthenticated("no credentials: log in with auth.login and send Authorization: Bearer <token>");
            }
            if (!method.roles().contains(caller.role())) {
                throw RpcException.forbidden("role", "role " + caller.role() + " may not call " + method.name());
            }
        }
        Object bound = binder.bind(params, method.paramsType());
        Object[] args = new Object[method.argumentKinds().length];
        for (int i = 0; i < args.length; i++) {
            args[i] = switch (method.argumentKinds()[i]) {
                case CALLER -> caller;
                case CONTEXT -> credentials.context();
                case PARAMS -> bound;
            };
        }
        try {
            return method.method().invoke(method.bean(), args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private ObjectNode success(JsonNode id, Object result) {
        ObjectNode r = json.createObjectNode();
        r.put("jsonrpc", "2.0");
        r.set("result", result == null ? json.nullNode() : json.valueToTree(result));
        r.set("id", id);
        return r;
    }

    ObjectNode error(JsonNode id, int code, String message, Map<String, Object> data) {
        ObjectNode r = json.createObjectNode();
        r.put("jsonrpc", "2.0");
        ObjectNode e = r.putObject("error");
        e.put("code", code);
        e.put("message", message);
        if (data != null) {
            e.set("data", json.valueToTree(data));
        }
        r.set("id", id == null ? json.nullNode() : id);
        return r;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "malformed JSON";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}

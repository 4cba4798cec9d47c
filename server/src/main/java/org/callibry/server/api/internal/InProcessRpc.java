package org.callibry.server.api.internal;

import org.callibry.server.api.Caller;
import org.callibry.server.api.RpcInvoker;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link RpcInvoker} over the {@link RpcDispatcher}: the parameters go through JSON (so binding and
 * validation are exactly those of a remote call), the result is handed over as the method returned it
 * when it already has the wanted type.
 */
@Component
class InProcessRpc implements RpcInvoker {
    private final RpcDispatcher dispatcher;
    private final JsonMapper json;

    InProcessRpc(RpcDispatcher dispatcher, JsonMapper json) {
        this.dispatcher = dispatcher;
        this.json = json;
    }

    @Override
    public <T> T call(Caller caller, String method, Object params, Class<T> resultType) {
        Object result = dispatcher.invokeAs(method, tree(params), caller);
        if (resultType == null || result == null) {
            return null;
        }
        return resultType.isInstance(result) ? resultType.cast(result) : json.convertValue(result, resultType);
    }

    @Override
    public <T> T call(Caller caller, String method, Object params, TypeReference<T> resultType) {
        Object result = dispatcher.invokeAs(method, tree(params), caller);
        return result == null ? null : json.convertValue(result, resultType);
    }

    private JsonNode tree(Object params) {
        return params == null ? null : json.valueToTree(params);
    }
}

package org.callibry.server.api.internal;

import java.lang.reflect.RecordComponent;
import java.util.Map;
import org.callibry.server.api.RpcMethod;
import org.callibry.shared.api.ErrorCodes;
import org.callibry.shared.api.Methods;
import org.springframework.boot.info.BuildProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code rpc.discover}: the OpenRPC 1.2 document of this server, generated from the registered methods
 * and their parameter and result types, with each method's roles in {@code x-roles}.
 */
@Component
class OpenRpcEndpoint {
    private final RpcRegistry registry;
    private final JsonMapper json;
    private final String version;
    private final ObjectProvider<org.callibry.server.api.ApiSchemas> published;
    private volatile ObjectNode document;

    OpenRpcEndpoint(RpcRegistry registry, JsonMapper json, ObjectProvider<BuildProperties> build,
                    ObjectProvider<org.callibry.server.api.ApiSchemas> published) {
        this.registry = registry;
        this.json = json;
        this.published = published;
        BuildProperties b = build.getIfAvailable();
        this.version = b != null ? b.getVersion() : "dev";
    }

    @RpcMethod(value = Methods.RPC_DISCOVER, anonymous = true,
            summary = "The OpenRPC document describing every method of this API")
    ObjectNode discover() {
        ObjectNode d = document;
        if (d == null) {
            d = generate();
            document = d;
        }
        return d;
    }

    ObjectNode generate() {
        ObjectNode doc = json.createObjectNode();
        doc.put("openrpc", "1.2.6");
        ObjectNode info = doc.putObject("info");
        info.put("title", "Callibry JSON-RPC API");
        info.put("version", version);
        info.put("description", "JSON-RPC 2.0 over HTTP POST /api/rpc. Authenticate with auth.login and send "
                + "'Authorization: Bearer <token>' (HTTP Basic also accepted). x-roles lists the roles allowed to call "
                + "each method; users bound to a tenant only see that tenant's data.");
        doc.putArray("servers").addObject().put("name", "this server").put("url", "/api/rpc");
        ObjectNode components = json.createObjectNode();
        ObjectNode schemas = components.putObject("schemas");
        JsonSchemas schemaGen = new JsonSchemas(json, schemas);
        ArrayNode methods = doc.putArray("methods");
        for (RegisteredMethod m : registry.all()) {
            RpcMethod meta = m.meta();
            ObjectNode method = methods.addObject();
            method.put("name", m.name());
            method.put("summary", meta.summary());
            method.put("paramStructure", "either");
            ArrayNode params = method.putArray("params");
            if (m.paramsType() != null) {
                for (RecordComponent rc : m.paramsType().getRecordComponents()) {
                    ObjectNode p = params.addObject();
                    p.put("name", rc.getName());
                    p.put("required", schemaGen.isRequired(m.paramsType(), rc));
                    p.set("schema", schemaGen.property(rc, Map.of()));
                }
            }
            ObjectNode result = method.putObject("result");
            result.put("name", "result");
            result.set("schema", schemaGen.schema(m.resultType(), Map.of()));
            ArrayNode roles = method.putArray("x-roles");
            m.roles().forEach(r -> roles.add(r.name()));
            method.put("x-anonymous", meta.anonymous());
            ArrayNode errors = method.putArray("errors");
            errors.addObject().put("code", ErrorCodes.INVALID_PARAMS).put("message", "Invalid params (data.field names the field)");
            if (!meta.anonymous()) {
                errors.addObject().put("code", ErrorCodes.UNAUTHENTICATED).put("message", "Unauthenticated");
                errors.addObject().put("code", ErrorCodes.FORBIDDEN).put("message", "Forbidden for this role or tenant");
            }
        }
        published.orderedStream().forEach(p -> p.schemas().forEach(schemas::set));
        doc.set("components", components);
        return doc;
    }
}

package org.callibry.server.api.internal;

import jakarta.servlet.http.HttpServletRequest;
import org.callibry.server.api.CallContext;
import org.callibry.server.api.Caller;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /api/rpc}: JSON-RPC 2.0 over HTTP. Responses are HTTP 200 with the JSON-RPC response
 * (errors included); a request of only notifications gets 204 and no body.
 */
@RestController
class RpcController {
    private final RpcDispatcher dispatcher;
    private final Authenticator authenticator;
    private final JsonMapper json;

    RpcController(RpcDispatcher dispatcher, Authenticator authenticator, JsonMapper json) {
        this.dispatcher = dispatcher;
        this.authenticator = authenticator;
        this.json = json;
    }

    @PostMapping(path = "/api/rpc", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<byte[]> rpc(@RequestBody(required = false) byte[] body, HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        String address = request.getRemoteAddr();
        String bearer = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : null;
        CallContext context = new CallContext(address, bearer);
        RpcDispatcher.Credentials credentials = new RpcDispatcher.Credentials() {
            private Caller caller;
            private RuntimeException failure;
            private boolean resolved;

            /** Resolved once per HTTP request, so a batch counts one failed login, not one per call. */
            @Override
            public synchronized Caller caller() {
                if (!resolved) {
                    resolved = true;
                    try {
                        caller = authenticator.fromHeader(authorization, address);
                    } catch (RuntimeException e) {
                        failure = e;
                    }
                }
                if (failure != null) {
                    throw failure;
                }
                return caller;
            }

            @Override
            public CallContext context() {
                return context;
            }
        };
        JsonNode response = dispatcher.handle(body == null ? new byte[0] : body, credentials);
        if (response == null) {
            return ResponseEntity.noContent().build();
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(json.writeValueAsBytes(response));
    }
}

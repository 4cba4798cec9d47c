package org.callibry.server.api.internal;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.callibry.server.api.Caller;
import org.callibry.shared.api.Role;
import org.callibry.server.api.CredentialsChanged;
import org.callibry.server.api.PushNotification;
import org.callibry.server.api.RpcException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The push channel {@code /api/events}: a WebSocket authenticated with the same bearer token as the
 * RPC endpoint ({@code Authorization} header, or {@code access_token} query parameter for browsers),
 * delivering every {@link PushNotification} the caller may see as a JSON-RPC 2.0 notification.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class EventsSocket extends TextWebSocketHandler implements WebSocketConfigurer, HandshakeInterceptor {
    private static final Logger log = LoggerFactory.getLogger(EventsSocket.class);
    private static final String CALLER = "callibry.caller";

    private final Authenticator authenticator;
    private final JsonMapper json;
    private final Set<WebSocketSession> sessions = ConcurrentHashMap.newKeySet();

    EventsSocket(Authenticator authenticator, JsonMapper json) {
        this.authenticator = authenticator;
        this.json = json;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        registry.addHandler(this, "/api/events").addInterceptors(this).setAllowedOriginPatterns("*");
    }

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                                   Map<String, Object> attributes) {
        String authorization = request.getHeaders().getFirst("Authorization");
        if (authorization == null) {
            String token = UriComponentsBuilder.fromUri(request.getURI()).build().getQueryParams().getFirst("access_token");
            authorization = token == null ? null : "Bearer " + token;
        }
        try {
            Caller caller = authenticator.fromHeader(authorization,
                    request.getRemoteAddress() == null ? "" : request.getRemoteAddress().getAddress().getHostAddress());
            if (caller != null) {
                attributes.put(CALLER, caller);
                return true;
            }
        } catch (RpcException e) {
            log.debug("Push channel refused: {}", e.getMessage());
        }
        response.setStatusCode(HttpStatus.UNAUTHORIZED);
        return false;
    }

    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                               Exception exception) {
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) {
        sessions.add(new ConcurrentWebSocketSessionDecorator(session, 5_000, 1 << 20));
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        sessions.removeIf(s -> s.getId().equals(session.getId()));
    }

    @EventListener
    void on(PushNotification event) {
        ObjectNode n = json.createObjectNode();
        n.put("jsonrpc", "2.0");
        n.put("method", event.method());
        n.set("params", json.valueToTree(event.params()));
        TextMessage message = new TextMessage(json.writeValueAsString(n));
        for (WebSocketSession s : sessions) {
            Caller caller = (Caller) s.getAttributes().get(CALLER);
            boolean visible = event.userId() != null ? event.userId() == caller.userId()
                    // an operator with neither a tenant nor an account sees only what is addressed to it
                    : caller.role() == Role.OPERATOR && !caller.tenantBound() ? false
                    : event.tenantId() == null ? !caller.tenantBound() : caller.canSee(event.tenantId());
            if (visible && s.isOpen()) {
                try {
                    s.sendMessage(message);
                } catch (IOException | RuntimeException e) {
                    log.debug("Push to session {} failed: {}", s.getId(), e.getMessage());
                }
            }
        }
    }

    /** A user whose credentials changed must log in again: close its push sessions. */
    @EventListener
    void on(CredentialsChanged event) {
        if (!event.revokeTokens()) {
            return;
        }
        for (WebSocketSession s : sessions) {
            if (((Caller) s.getAttributes().get(CALLER)).userId() == event.userId()) {
                try {
                    s.close(CloseStatus.POLICY_VIOLATION.withReason("credentials changed"));
                } catch (IOException e) {
                    log.debug("Closing session {}: {}", s.getId(), e.getMessage());
                }
            }
        }
    }
}

package org.callibry.softphone.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.callibry.shared.api.dto.Notification;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The server's push channel ({@code /api/events}, a WebSocket with the API token in the
 * {@code Authorization} header) kept open for as long as the softphone runs: each JSON-RPC
 * notification goes to the {@link Listener}; a connection that closes, fails or stops answering pings
 * is opened again after a back-off (1 s doubling up to 30 s, less a random tenth so that many phones
 * do not all come back at once); a refused token (401) has the API log in again first.
 * What was pushed while the channel was down is lost: {@link Listener#connected} says when to read the
 * state afresh. No JavaFX here; the listener is called on the channel's threads.
 */
public final class PushChannel implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("org.callibry.softphone");

    /** What the channel hears. */
    public interface Listener {
        /** The channel is open (again): notifications from now on; read anything missed while it was down. */
        void connected();

        /** A notification from the server. */
        void notification(Notification n);
    }

    private final URI uri;
    private final Supplier<String> token;
    private final Runnable refused;
    private final Listener listener;
    private final Duration firstRetry;
    private final Duration lastRetry;
    private final Duration ping;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonMapper json = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("push-channel").unstarted(r));

    // touched only on the executor's thread
    private long generation;
    private WebSocket socket;
    private int failures;
    private long pingSentAt;
    private long pongAt;
    /** A connection that ended before it was taken as open. */
    private long goneAttempt = -1;
    private volatile boolean closed;

    /**
     * A channel to the server at {@code api} (its HTTP API address); {@code token} gives the current
     * API token, {@code refused} logs in again when the server refused it.
     */
    public PushChannel(URI api, Supplier<String> token, Runnable refused, Listener listener) {
        this(api, token, refused, listener, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(30));
    }

    PushChannel(URI api, Supplier<String> token, Runnable refused, Listener listener, Duration firstRetry, Duration lastRetry,
                Duration ping) {
        String base = api.toString().endsWith("/") ? api.toString() : api + "/";
        this.uri = URI.create(base.replaceFirst("^http", "ws") + "api/events");
        this.token = token;
        this.refused = refused;
        this.listener = listener;
        this.firstRetry = firstRetry;
        this.lastRetry = lastRetry;
        this.ping = ping;
    }

    /** Opens the channel; it stays open (or keeps trying) until {@link #close}. */
    public void start() {
        executor.execute(this::connect);
        executor.scheduleAtFixedRate(this::ping, ping.toMillis(), ping.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The wait before the next attempt after {@code failures} failed ones in a row (1 or more): doubling, at most {@code last}. */
    public static Duration backoff(int failures, Duration first, Duration last) {
        int doublings = Math.min(Math.max(failures - 1, 0), 30);
        long millis = first.toMillis() << doublings;
        return millis <= 0 || millis > last.toMillis() ? last : Duration.ofMillis(millis);
    }

    private void connect() {
        if (closed) {
            return;
        }
        long attempt = ++generation;
        String t;
        try {
            t = token.get();
        } catch (RuntimeException e) {
            retry("no token: " + e.getMessage());
            return;
        }
        http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5)).header("Authorization", "Bearer " + t)
                .buildAsync(uri, new Socket(attempt))
                .whenComplete((ws, error) -> run(() -> opened(attempt, ws, error)));
    }

    private void opened(long attempt, WebSocket ws, Throwable error) {
        if (error != null) {
            if (attempt == generation) {
                if (unauthorized(error)) {
                    try {
                        refused.run();
                    } catch (RuntimeException e) {
                        LOG.log(System.Logger.Level.WARNING, "push channel: login again failed: {0}", e.getMessage());
                    }
                }
                retry(reason(error));
            }
            return;
        }
        if (closed || attempt != generation) {
            ws.abort();
            return;
        }
        if (goneAttempt == attempt) {
            ws.abort();
            retry("closed as it opened");
            return;
        }
        socket = ws;
        failures = 0;
        pingSentAt = pongAt = System.nanoTime();
        LOG.log(System.Logger.Level.INFO, "push channel open: {0}", uri);
        try {
            listener.connected();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "push channel listener failed: {0}", e.toString());
        }
    }

    /** The connection {@code attempt} is gone: try again, unless a newer one took its place. */
    private void lost(long attempt, String why) {
        if (closed || attempt != generation) {
            return;
        }
        if (socket == null) {
            goneAttempt = attempt; // not taken as open yet: opened() sees it
            return;
        }
        socket.abort();
        socket = null;
        retry(why);
    }

    private void retry(String why) {
        if (closed) {
            return;
        }
        failures++;
        Duration wait = backoff(failures, firstRetry, lastRetry);
        long millis = wait.toMillis() - ThreadLocalRandom.current().nextLong(wait.toMillis() / 10 + 1);
        LOG.log(System.Logger.Level.INFO, "push channel down ({0}); again in {1} ms", why, millis);
        executor.schedule(this::connect, millis, TimeUnit.MILLISECONDS);
    }

    /** A connection whose last ping went unanswered is dead (a half-open TCP connection says nothing): replace it. */
    private void ping() {
        WebSocket ws = socket;
        if (ws == null) {
            return;
        }
        long attempt = generation;
        if (pongAt < pingSentAt) {
            lost(attempt, "no answer to ping");
            return;
        }
        pingSentAt = System.nanoTime();
        ws.sendPing(ByteBuffer.allocate(0)).whenComplete((w, e) -> {
            if (e != null) {
                run(() -> lost(attempt, "ping not sent: " + e.getMessage()));
            }
        });
    }

    private void run(Runnable r) {
        if (!closed) {
            try {
                executor.execute(r);
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                // closed meanwhile
            }
        }
    }

    private static boolean unauthorized(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof WebSocketHandshakeException h) {
                return h.getResponse().statusCode() == 401;
            }
        }
        return false;
    }

    private static String reason(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null && (t instanceof java.util.concurrent.CompletionException
                || t instanceof java.util.concurrent.ExecutionException)) {
            t = t.getCause();
        }
        if (t instanceof WebSocketHandshakeException h) {
            return "HTTP " + h.getResponse().statusCode();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** Closes the channel for good. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        executor.execute(() -> {
            WebSocket ws = socket;
            socket = null;
            if (ws != null) {
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").whenComplete((w, e) -> ws.abort());
            }
            http.shutdown(); // its selector thread ends once the close went out
        });
        executor.shutdown();
    }

    /** One connection's listener: notifications to the channel's listener, its end to {@link #lost}. */
    private final class Socket implements WebSocket.Listener {
        private final long attempt;
        private final StringBuilder text = new StringBuilder();

        Socket(long attempt) {
            this.attempt = attempt;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String message = text.toString();
                text.setLength(0);
                try {
                    JsonNode n = json.readTree(message);
                    listener.notification(new Notification(n.path("method").asString(""), n.get("params")));
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "push channel: notification not handled: {0}", e.toString());
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
            run(() -> {
                if (attempt == generation) {
                    pongAt = System.nanoTime();
                }
            });
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
            run(() -> lost(attempt, "closed by the server: " + status + (reason == null || reason.isBlank() ? "" : " " + reason)));
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            run(() -> lost(attempt, reason(error)));
        }
    }
}

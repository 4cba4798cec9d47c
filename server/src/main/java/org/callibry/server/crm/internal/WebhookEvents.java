package org.callibry.server.crm.internal;

import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.callibry.server.acd.QueueEvent;
import org.callibry.server.calls.CallAnswered;
import org.callibry.server.calls.CallEnded;
import org.callibry.server.calls.CallOffered;
import org.callibry.server.recording.RecordingReady;
import org.callibry.server.storage.SpooledWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns call events into webhook deliveries without holding up the thread that publishes them (the SIP
 * stack's, the ACD's, the recording converter's): the event's JSON body is made at once, one
 * {@link PendingDelivery} per enabled subscription of the tenant that chose the event is offered to a
 * {@link SpooledWriter} (memory queue, disk spool while the database is away), and the writer's thread
 * stores them and wakes the {@link WebhookDeliverer}. Subscriptions are matched from a snapshot in
 * memory, reloaded after each change and every 30 seconds (changes made on another server).
 */
@Component
class WebhookEvents implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(WebhookEvents.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final long RELOAD_NANOS = Duration.ofSeconds(30).toNanos();

    private final WebhookStore store;
    private final SpooledWriter<PendingDelivery> writer;
    private volatile Map<Long, List<WebhookStore.Subscription>> byTenant = Map.of();
    private volatile long loadedAt;
    private volatile boolean running;

    WebhookEvents(WebhookStore store, WebhookProperties properties, WebhookDeliverer deliverer, MeterRegistry meters) {
        this.store = store;
        this.writer = new SpooledWriter<>(new SpooledWriter.Settings("webhook", "callibry.crm.webhook", "webhook-writer",
                "webhook", 500, Duration.ofMillis(50), properties.queueCapacity(), properties.spoolDir(), Duration.ofSeconds(5)),
                PendingDelivery.class, new SpooledWriter.Sink<>() {
                    @Override
                    public int insert(List<PendingDelivery> rows) throws SQLException {
                        int stored = store.insert(rows);
                        deliverer.wake();
                        return stored;
                    }

                    @Override
                    public boolean reachable() {
                        return store.reachable();
                    }

                    @Override
                    public boolean isBadData(Exception e) {
                        return SpooledWriter.isBadData(e);
                    }
                }, d -> d.eventId() + " to webhook " + d.webhookId(), meters);
    }

    // ---------------------------------------------------------------- events

    @EventListener
    void on(CallOffered e) {
        publish(e.tenantId(), "call.offered", e.callId(), e.at(), () -> data(e.callId(), "aNumber", e.aNumber(), "bNumber", e.bNumber(),
                "routeName", e.routeName()));
    }

    @EventListener
    void on(CallAnswered e) {
        publish(e.tenantId(), "call.answered", e.callId(), e.at(), () -> data(e.callId(), "aNumber", e.aNumber(), "bNumber",
                e.bNumber(), "destination", e.destination()));
    }

    @EventListener
    void on(CallEnded e) {
        long duration = e.answeredAt() == null || e.endedAt() == null ? 0
                : Math.max(0, Duration.between(e.answeredAt(), e.endedAt()).toMillis());
        publish(e.tenantId(), "call.ended", e.callId(), e.endedAt(), () -> data(e.callId(), "aNumber", e.aNumber(), "bNumber",
                e.bNumber(), "aNumberRouted", e.aNumberRouted(), "bNumberRouted", e.bNumberRouted(), "destination",
                e.destination(), "routeName", e.routeName(), "startedAt", e.startedAt(), "answeredAt", e.answeredAt(),
                "endedAt", e.endedAt(), "durationMs", duration, "disposition", e.disposition(), "sipCode", e.sipCode(),
                "reason", e.reason()));
    }

    @EventListener
    void on(QueueEvent e) {
        if (e.type() == QueueEvent.Type.ABANDONED) {
            publish(e.tenantId(), "queue.abandoned", e.callId(), e.at(), () -> data(e.callId(), "queueId", e.queueId(), "caller",
                    e.caller(), "position", e.position(), "waitSeconds", e.waitSeconds(), "detail", e.detail()));
        }
    }

    @EventListener
    void on(RecordingReady e) {
        publish(e.tenantId(), "recording.ready", e.callId(), Instant.now(), () -> data(e.callId(), "recordingId", e.recordingId(),
                "aNumber", e.aNumber(), "bNumber", e.bNumber(), "startedAt", e.startedAt(), "durationMs", e.durationMs(),
                "channels", e.channels(), "sizeBytes", e.sizeBytes(), "download", "/api/recordings/" + e.recordingId() + ".mp3"));
    }

    /** Offers the event to every subscription of the tenant that chose it; never throws, never blocks. */
    void publish(Long tenantId, String type, String callId, Instant at, Supplier<Map<String, Object>> data) {
        if (tenantId == null) {
            return;
        }
        try {
            List<WebhookStore.Subscription> subs = new ArrayList<>(0);
            for (WebhookStore.Subscription s : subscriptions().getOrDefault(tenantId, List.of())) {
                if (s.enabled() && s.events().contains(type)) {
                    subs.add(s);
                }
            }
            if (subs.isEmpty()) {
                return; // most calls: no body is built (this runs on the SIP threads, for every call)
            }
            Instant time = at == null ? Instant.now() : at;
            UUID id = SpooledWriter.timeOrderedId(time);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("id", id.toString());
            body.put("type", type);
            body.put("time", time.toString());
            body.put("tenantId", tenantId);
            body.put("data", data.get());
            String json = JSON.writeValueAsString(body);
            for (WebhookStore.Subscription s : subs) {
                writer.offer(new PendingDelivery(id, s.id(), tenantId, type, callId == null ? "" : callId, json, time));
            }
        } catch (RuntimeException e) {
            // a webhook problem must never travel back into the call's thread
            log.error("Webhook event {} of call {} not queued: {}", type, callId, e.toString(), e);
        }
    }

    private static Map<String, Object> data(String callId, Object... pairs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("callId", callId);
        for (int i = 0; i < pairs.length; i += 2) {
            Object v = pairs[i + 1];
            m.put((String) pairs[i], v instanceof Instant || v instanceof Enum<?> ? v.toString() : v);
        }
        return m;
    }

    // ---------------------------------------------------------------- subscriptions

    private Map<Long, List<WebhookStore.Subscription>> subscriptions() {
        if (System.nanoTime() - loadedAt > RELOAD_NANOS) {
            Thread.ofVirtual().name("webhook-reload").start(this::reload);
            loadedAt = System.nanoTime();
        }
        return byTenant;
    }

    /** Reads the subscriptions again; called after every change. */
    void reload() {
        try {
            byTenant = store.all().stream().collect(Collectors.groupingBy(WebhookStore.Subscription::tenantId));
            loadedAt = System.nanoTime();
        } catch (RuntimeException e) {
            log.warn("Webhook subscriptions not reloaded: {}", e.toString());
        }
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    public void start() {
        reload();
        writer.start();
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        writer.stop();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}

package org.callibry.server.relay.internal;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.callibry.server.relay.MediaStopped;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Watches the calls this signaling node relays (on any media node) for silence, and publishes
 * {@link MediaStopped} for each call silent for the timeout. On its own thread: asking a remote media
 * node (an ng {@code query}) must not delay anything on the signaling path. Off when the timeout is 0.
 */
@Component
class SilenceWatch implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(SilenceWatch.class);

    private final NodeRelay relay;
    private final ApplicationEventPublisher events;
    private final long timeoutSeconds;
    private volatile ScheduledExecutorService thread;

    SilenceWatch(NodeRelay relay, ApplicationEventPublisher events,
                 @Value("${callibry.media.silence-timeout:${callibry.sip.media-timeout:60s}}") Duration timeout) {
        this.relay = relay;
        this.events = events;
        this.timeoutSeconds = timeout.toSeconds();
    }

    @Override
    public void start() {
        if (timeoutSeconds <= 0) {
            return;
        }
        thread = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("relay-silence-watch").daemon().factory());
        thread.scheduleWithFixedDelay(this::check, 1, Math.min(5, timeoutSeconds), TimeUnit.SECONDS);
    }

    void check() {
        try {
            for (String callId : relay.callIds()) {
                long idle = relay.idleSeconds(callId);
                if (idle >= timeoutSeconds) {
                    events.publishEvent(new MediaStopped(callId, idle));
                }
            }
        } catch (RuntimeException e) {
            log.warn("Media silence check failed", e);
        }
    }

    @Override
    public void stop() {
        ScheduledExecutorService t = thread;
        thread = null;
        if (t != null) {
            t.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }
}

package org.callibry.server.relay.rtp;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread that ticks every 20 ms (one G.711 packet) against absolute deadlines, so playback
 * channels (music on hold, prompts) send at the media rate without drift, whatever their number.
 */
public final class MediaClock implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MediaClock.class);
    public static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    /** Called once per period on the clock thread; must not block. */
    public interface Tickable {
        public void tick(long nanos);
    }

    private final Set<Tickable> channels = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean running = true;

    public MediaClock() {
        thread = Thread.ofPlatform().name("media-clock").daemon().priority(Thread.MAX_PRIORITY).start(this::run);
    }

    public void add(Tickable t) {
        channels.add(t);
    }

    public void remove(Tickable t) {
        channels.remove(t);
    }

    private void run() {
        long next = System.nanoTime();
        while (running) {
            next += PERIOD_NANOS;
            long now = System.nanoTime();
            if (next - now > 0) {
                LockSupport.parkNanos(next - now);
            } else if (now - next > 10 * PERIOD_NANOS) {
                next = now; // suspended or overloaded: do not send a burst to catch up
            }
            long t = System.nanoTime();
            for (Tickable c : channels) {
                try {
                    c.tick(t);
                } catch (RuntimeException e) {
                    log.warn("Media channel failed; removed", e);
                    channels.remove(c);
                }
            }
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

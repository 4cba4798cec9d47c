package org.callibry.server.mediaserver.internal;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.callibry.server.relay.rtp.MediaClock;

/**
 * What one session hears when it hears more than one other (a supervisor listening to both parties, an
 * agent hearing the caller and a whispering supervisor): each source's decoded 20 ms frames wait in a
 * short queue of their own, and every tick of the media clock takes one frame of each source that has
 * one, sums them (clipped to 16 bits) and sends the sum. A source that falls behind loses its oldest
 * frames (three are kept), so the mix never drifts behind real time.
 */
final class Mixer implements MediaClock.Tickable {
    private static final int KEPT = 3;

    private final Map<Object, ArrayDeque<short[]>> sources = new ConcurrentHashMap<>();
    private final BiConsumer<short[], Integer> send;

    /** {@code send}: the mixed frame and its sample count, to encode and send (on the clock thread). */
    Mixer(BiConsumer<short[], Integer> send) {
        this.send = send;
    }

    void frame(Object source, short[] samples, int count) {
        short[] copy = new short[count];
        System.arraycopy(samples, 0, copy, 0, count);
        ArrayDeque<short[]> q = sources.computeIfAbsent(source, s -> new ArrayDeque<>());
        synchronized (q) {
            if (q.size() >= KEPT) {
                q.pollFirst();
            }
            q.addLast(copy);
        }
    }

    void remove(Object source) {
        sources.remove(source);
    }

    @Override
    public void tick(long nanos) {
        int[] sum = null;
        int length = 0;
        for (ArrayDeque<short[]> q : sources.values()) {
            short[] f;
            synchronized (q) {
                f = q.pollFirst();
            }
            if (f == null) {
                continue;
            }
            if (sum == null) {
                sum = new int[f.length];
            }
            length = Math.max(length, Math.min(f.length, sum.length));
            for (int i = 0; i < Math.min(f.length, sum.length); i++) {
                sum[i] += f[i];
            }
        }
        if (sum == null) {
            return;
        }
        short[] out = new short[length];
        for (int i = 0; i < length; i++) {
            out[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, sum[i]));
        }
        send.accept(out, length);
    }
}

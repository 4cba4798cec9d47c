package org.callibry.server.relay.rtp;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Consumer;
import org.callibry.shared.media.G711;

/**
 * Plays 8 kHz samples as G.711 RTP, one 20 ms packet per {@link MediaClock} tick: music on hold in
 * the relay, prompts on the media server. A playlist plays once or loops; {@code onDone} runs on the
 * clock thread when a playlist that does not loop has been sent entirely (not after {@link #close()}).
 */
public final class Player implements MediaClock.Tickable, AutoCloseable {
    public static final int FRAME = 160;

    private final MediaClock clock;
    private final RtpStream stream;
    private final Consumer<ByteBuffer> sink;
    private final int payloadType;
    private final List<short[]> playlist;
    private final boolean loop;
    private final Runnable onDone;
    private final byte[] payload = new byte[FRAME];
    private final short[] frame = new short[FRAME];
    private int item;
    private int position;
    private volatile boolean closed;

    public Player(MediaClock clock, RtpStream stream, Consumer<ByteBuffer> sink, int payloadType, List<short[]> playlist, boolean loop,
           Runnable onDone) {
        if (payloadType != 0 && payloadType != 8) {
            throw new IllegalArgumentException("can only play G.711 (payload type 0 or 8), not " + payloadType);
        }
        this.clock = clock;
        this.stream = stream;
        this.sink = sink;
        this.payloadType = payloadType;
        this.playlist = playlist.stream().filter(s -> s.length > 0).toList();
        this.loop = loop;
        this.onDone = onDone;
        stream.talkspurt();
        clock.add(this);
    }

    @Override
    public void tick(long nanos) {
        if (closed) {
            return;
        }
        if (playlist.isEmpty() || !fill()) {
            closed = true;
            clock.remove(this);
            if (onDone != null) {
                onDone.run();
            }
            return;
        }
        if (payloadType == 0) {
            G711.encodeUlaw(frame, 0, FRAME, payload, 0);
        } else {
            G711.encodeAlaw(frame, 0, FRAME, payload, 0);
        }
        synchronized (stream) { // the stream may have other writers (echo, bridge): one packet at a time
            sink.accept(stream.packet(payloadType, payload, FRAME, FRAME));
        }
    }

    /** Next 20 ms of the playlist into {@link #frame}; false when a single pass has ended. */
    private boolean fill() {
        int filled = 0;
        while (filled < FRAME) {
            if (item >= playlist.size()) {
                if (!loop) {
                    if (filled == 0) {
                        return false;
                    }
                    java.util.Arrays.fill(frame, filled, FRAME, (short) 0);
                    return true;
                }
                item = 0;
            }
            short[] s = playlist.get(item);
            int n = Math.min(FRAME - filled, s.length - position);
            System.arraycopy(s, position, frame, filled, n);
            filled += n;
            position += n;
            if (position >= s.length) {
                item++;
                position = 0;
            }
        }
        return true;
    }

    @Override
    public void close() {
        closed = true;
        clock.remove(this);
    }
}

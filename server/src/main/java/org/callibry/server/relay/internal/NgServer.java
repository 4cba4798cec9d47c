package org.callibry.server.relay.internal;

import org.callibry.server.nodes.ng.Bencode;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rtpengine "ng" control protocol over UDP: each datagram is {@code <cookie> <bencoded dict>}, the
 * reply repeats the cookie. Commands: {@code ping}, {@code offer}, {@code answer}, {@code delete},
 * {@code query}, {@code list}, {@code statistics} — the subset Kamailio's and OpenSIPS' rtpengine
 * modules use. A retransmitted command (same cookie) gets the cached reply instead of running twice.
 */
final class NgServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NgServer.class);
    private static final long REPLY_CACHE_NANOS = TimeUnit.SECONDS.toNanos(30);

    private record Cached(byte[] reply, long nanos) {
    }

    private final Relay relay;
    private final DatagramChannel channel;
    private final Thread thread;
    private final Map<String, Cached> replies = new ConcurrentHashMap<>();
    private volatile boolean running = true;
    private long lastPurge = System.nanoTime();

    NgServer(Relay relay, InetSocketAddress address) throws IOException {
        this.relay = relay;
        this.channel = DatagramChannel.open();
        channel.bind(address);
        thread = Thread.ofPlatform().name("ng-control").daemon().start(this::run);
    }

    InetSocketAddress address() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    private void run() {
        ByteBuffer in = ByteBuffer.allocate(65536);
        while (running) {
            try {
                in.clear();
                SocketAddress from = channel.receive(in);
                in.flip();
                byte[] datagram = new byte[in.remaining()];
                in.get(datagram);
                byte[] reply = handle(datagram);
                if (reply != null) {
                    channel.send(ByteBuffer.wrap(reply), from);
                }
            } catch (IOException e) {
                if (running) {
                    log.warn("ng control socket error", e);
                }
            } catch (RuntimeException e) {
                log.warn("ng command failed", e);
            }
        }
    }

    /** One datagram in, the reply out (null: not an ng datagram, dropped). */
    byte[] handle(byte[] datagram) {
        int space = -1;
        for (int i = 0; i < Math.min(datagram.length, 256); i++) {
            if (datagram[i] == ' ') {
                space = i;
                break;
            }
        }
        if (space <= 0) {
            return null;
        }
        String cookie = new String(datagram, 0, space, StandardCharsets.US_ASCII);
        long now = System.nanoTime();
        Cached cached = replies.get(cookie);
        if (cached != null && now - cached.nanos < REPLY_CACHE_NANOS) {
            return cached.reply;
        }
        Map<String, Object> result;
        try {
            Object decoded = Bencode.decode(datagram, space + 1, datagram.length - space - 1);
            if (!(decoded instanceof Map<?, ?>)) {
                throw new IllegalArgumentException("command is not a dictionary");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> dict = (Map<String, Object>) decoded;
            result = execute(dict);
        } catch (IllegalArgumentException | IllegalStateException e) {
            result = new LinkedHashMap<>();
            result.put("result", "error");
            result.put("error-reason", e.getMessage() == null ? e.toString() : e.getMessage());
        }
        byte[] body = Bencode.encode(result);
        byte[] reply = new byte[space + 1 + body.length];
        System.arraycopy(datagram, 0, reply, 0, space + 1);
        System.arraycopy(body, 0, reply, space + 1, body.length);
        replies.put(cookie, new Cached(reply, now));
        if (now - lastPurge > REPLY_CACHE_NANOS) {
            lastPurge = now;
            replies.values().removeIf(c -> now - c.nanos > REPLY_CACHE_NANOS);
        }
        return reply;
    }

    Map<String, Object> execute(Map<String, Object> dict) {
        String command = Bencode.string(dict.get("command"));
        if (command == null) {
            throw new IllegalArgumentException("no command");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        switch (command.toLowerCase(Locale.ROOT)) {
            case "ping" -> out.put("result", "pong");
            case "offer" -> {
                String sdp = relay.offer(required(dict, "call-id"), required(dict, "from-tag"), required(dict, "sdp"),
                        flags(dict));
                out.put("result", "ok");
                out.put("sdp", sdp);
            }
            case "answer" -> {
                String sdp = relay.answer(required(dict, "call-id"), required(dict, "from-tag"), required(dict, "to-tag"),
                        required(dict, "sdp"), flags(dict));
                out.put("result", "ok");
                out.put("sdp", sdp);
            }
            case "delete" -> {
                String callId = required(dict, "call-id");
                Map<String, Object> q = relay.query(callId);
                if (!relay.delete(callId, "ng delete")) {
                    throw new IllegalArgumentException("Unknown call-id");
                }
                out.put("result", "ok");
                if (q != null) {
                    out.put("created", q.get("created"));
                    out.put("last signal", q.get("last signal"));
                    out.put("tags", q.get("tags"));
                    out.put("totals", q.get("totals"));
                }
            }
            case "query" -> {
                Map<String, Object> q = relay.query(required(dict, "call-id"));
                if (q == null) {
                    throw new IllegalArgumentException("Unknown call-id");
                }
                out.put("result", "ok");
                out.putAll(q);
            }
            case "list" -> {
                long limit = dict.get("limit") instanceof Long l ? l : 32;
                List<Object> ids = new ArrayList<>();
                for (String id : relay.calls().keySet()) {
                    if (ids.size() >= limit) {
                        break;
                    }
                    ids.add(id);
                }
                out.put("result", "ok");
                out.put("calls", ids);
            }
            case "statistics" -> {
                out.put("result", "ok");
                out.put("statistics", Map.of("currentstatistics", Map.of("sessionsown", (long) relay.activeCalls(),
                        "sessionstotal", (long) relay.activeCalls())));
            }
            default -> throw new IllegalArgumentException("Unrecognized command " + command);
        }
        return out;
    }

    private static String required(Map<String, Object> dict, String key) {
        String v = Bencode.string(dict.get(key));
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException("No " + key + " in message");
        }
        return v;
    }

    /** rtpengine's flag vocabulary we act on, plus our own {@code callibry-*} keys. */
    static Relay.Flags flags(Map<String, Object> dict) {
        List<String> flags = strings(dict.get("flags"));
        List<String> replace = strings(dict.get("replace"));
        String recordCall = Bencode.string(dict.get("record call"));
        if (recordCall == null) {
            recordCall = Bencode.string(dict.get("record-call"));
        }
        boolean record = "yes".equalsIgnoreCase(recordCall) || "on".equalsIgnoreCase(recordCall)
                || flags.contains("record-call") || dict.containsKey("callibry-record");
        String mode = Bencode.string(dict.get("callibry-record"));
        boolean moh = !"no".equalsIgnoreCase(Bencode.string(dict.get("callibry-moh")));
        Long tenant = dict.get("callibry-tenant") instanceof Long l ? l : null;
        return new Relay.Flags(record, "stereo".equalsIgnoreCase(mode), moh,
                replace.contains("origin"), tenant, Bencode.string(dict.get("callibry-a")), Bencode.string(dict.get("callibry-b")));
    }

    private static List<String> strings(Object v) {
        List<String> out = new ArrayList<>();
        if (v instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof byte[] b) {
                    out.add(new String(b, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT));
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        running = false;
        try {
            channel.close();
            thread.join(1000);
        } catch (IOException | InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package org.callibry.softphone.server;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A stand-in for the server's push channel: a WebSocket server (RFC 6455) on loopback that takes or
 * refuses each handshake as the test says, pushes text frames to the latest connection, drops it,
 * and answers pings (or, when told, stays silent like a dead peer).
 */
final class FakeEventsServer implements AutoCloseable {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"; // RFC 6455 §1.3

    /** The Authorization header of every handshake, in order. */
    final List<String> authorizations = new CopyOnWriteArrayList<>();
    /** When each handshake arrived ({@link System#nanoTime}). */
    final List<Long> handshakes = new CopyOnWriteArrayList<>();
    /** Which Authorization values are taken; the others get 401. */
    volatile Predicate<String> accepts = a -> true;
    /** How many handshakes still get 503 (the server starting). */
    volatile int unavailable;
    volatile boolean answerPings = true;

    private final ServerSocket server;
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    FakeEventsServer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("fake-events").start(this::acceptLoop);
    }

    /** The HTTP API address the channel is given. */
    URI api() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/");
    }

    /** Connections that completed the handshake and are open. */
    int connections() {
        return (int) open.stream().filter(s -> !s.isClosed()).count();
    }

    /** Sends {@code json} as one text frame on the latest connection. */
    void push(String json) throws IOException {
        send(open.getLast(), 0x1, json.getBytes(StandardCharsets.UTF_8));
    }

    /** Drops the latest connection without a close frame (a restart, a lost network). */
    void drop() throws IOException {
        open.getLast().close();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread.ofPlatform().daemon().name("fake-events-conn").start(() -> serve(s));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            Map<String, String> headers = headers(in);
            handshakes.add(System.nanoTime());
            String authorization = headers.getOrDefault("authorization", "");
            authorizations.add(authorization);
            OutputStream out = s.getOutputStream();
            if (unavailable > 0) {
                unavailable--;
                out.write("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                return;
            }
            if (!accepts.test(authorization)) {
                out.write("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                return;
            }
            String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((headers.get("sec-websocket-key") + GUID).getBytes(StandardCharsets.US_ASCII)));
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            open.add(s);
            frames(s, new DataInputStream(in));
        } catch (Exception e) {
            // the connection ended
        }
    }

    /** The request's headers, names in lower case (the request line is skipped). */
    private static Map<String, String> headers(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed during the handshake");
            }
            head.write(b);
            boolean next = b == (matched % 2 == 0 ? '\r' : '\n');
            matched = next ? matched + 1 : b == '\r' ? 1 : 0;
        }
        Map<String, String> headers = new HashMap<>();
        String[] lines = head.toString(StandardCharsets.US_ASCII).split("\r\n");
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
            }
        }
        return headers;
    }

    /** Reads the client's frames (always masked, RFC 6455 §5.3): answers pings and closes. */
    private void frames(Socket s, DataInputStream in) throws IOException {
        while (true) {
            int b0 = in.readUnsignedByte();
            int b1 = in.readUnsignedByte();
            long length = b1 & 0x7F;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] mask = new byte[4];
            if ((b1 & 0x80) != 0) {
                in.readFully(mask);
            }
            byte[] payload = new byte[(int) length];
            in.readFully(payload);
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i % 4];
            }
            int opcode = b0 & 0x0F;
            if (opcode == 0x9 && answerPings) {
                send(s, 0xA, payload);
            } else if (opcode == 0x8) {
                send(s, 0x8, payload);
                s.close();
                return;
            }
        }
    }

    /** One unmasked frame from the server (RFC 6455 §5.2). */
    private static void send(Socket s, int opcode, byte[] payload) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x80 | opcode);
        if (payload.length < 126) {
            frame.write(payload.length);
        } else {
            frame.write(126);
            frame.write(payload.length >> 8);
            frame.write(payload.length & 0xFF);
        }
        frame.write(payload);
        synchronized (s) {
            OutputStream out = s.getOutputStream();
            out.write(frame.toByteArray());
            out.flush();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            s.close();
        }
    }
}

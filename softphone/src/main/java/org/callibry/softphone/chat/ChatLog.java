package org.callibry.softphone.chat;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Instant messages per conversation (the other party's number), kept in {@code chat.jsonl} of the
 * config directory: one appended JSON line per message and one per delivery outcome, so a crash loses
 * nothing that was shown. At most {@link #PER_PEER} messages per conversation are kept; the file is
 * rewritten compactly when it is opened with more lines than that.
 */
public final class ChatLog {
    public static final int PER_PEER = 500;

    /**
     * Where an outgoing message is; incoming ones are {@code RECEIVED}. {@code UNCONFIRMED}: the phone
     * stopped before the server answered, so whether it arrived is not known.
     */
    public enum Status { SENDING, DELIVERED, FAILED, UNCONFIRMED, RECEIVED }

    /** One message ({@code at} in milliseconds since the epoch); {@code reason} says why a {@code FAILED} one was not delivered. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Message(String id, long at, String peer, String peerName, boolean outgoing, String text, Status status,
                          String reason) {
        /** When it was sent or received. */
        public Instant time() {
            return Instant.ofEpochMilli(at);
        }

        Message withStatus(Status s, String why) {
            return new Message(id, at, peer, peerName, outgoing, text, s, why);
        }
    }

    /** A delivery outcome line: {@code {"id":..., "status":..., "reason":...}}. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record Outcome(String id, Status status, String reason) {
    }

    /**
     * A conversation read up to message {@code upTo} (sent or received at {@code at}, milliseconds since
     * the epoch): {@code {"read": peer, "upTo": id, "at": ...}}.
     */
    record ReadMark(String read, String upTo, long at) {
    }

    /** One conversation as the list shows it: the other party, its last message and how many are unread. */
    public record Conversation(String peer, String peerName, Message last, int unread) {
    }

    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private final Path file;
    private final java.util.SequencedMap<String, List<Message>> byPeer = new LinkedHashMap<>();
    private final Map<String, Integer> unread = new LinkedHashMap<>();
    /** Up to which message each conversation was read (kept, so unread messages stay unread after a restart). */
    private final Map<String, ReadMark> readAt = new LinkedHashMap<>();

    /** The conversations kept in {@code dir}/chat.jsonl. */
    public ChatLog(Path dir) {
        this.file = dir.resolve("chat.jsonl");
        int lines = load();
        boolean trimmed = byPeer.values().stream().anyMatch(l -> l.size() > PER_PEER);
        byPeer.values().forEach(ChatLog::trim);
        // compacted when long, and when a crash cut the last line short (the next line must start on its own)
        if (trimmed || lines > count() || tornEnd) {
            rewrite();
        }
    }

    private boolean tornEnd;
    private final List<Runnable> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** {@code l} runs (on the changing thread) after every change: a message added or settled. */
    public void addListener(Runnable l) {
        listeners.add(l);
    }

    public void removeListener(Runnable l) {
        listeners.remove(l);
    }

    private void changed() {
        listeners.forEach(Runnable::run);
    }
    private static final System.Logger LOG = System.getLogger(ChatLog.class.getName());

    private ChatLog() {
        this.file = null;
    }

    /** Conversations kept only while the phone runs (nothing written). */
    public static ChatLog inMemory() {
        return new ChatLog();
    }

    private int load() {
        if (!Files.exists(file)) {
            return 0;
        }
        List<String> lines;
        try {
            // decoded leniently: a character cut in half by a crash spoils its line only
            String content = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            tornEnd = !content.isEmpty() && !content.endsWith("\n");
            lines = content.lines().toList();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "chat history not readable ({0}): starting empty", e.getMessage());
            return 0;
        }
        Map<String, Message> byId = new LinkedHashMap<>();
        boolean marks = false;
        for (String line : lines) {
            try {
                if (line.isBlank()) {
                    continue;
                }
                tools.jackson.databind.JsonNode n = JSON.readTree(line);
                if (n.has("text")) {
                    Message m = JSON.treeToValue(n, Message.class);
                    byId.put(m.id(), m);
                } else if (n.has("read")) {
                    ReadMark r = JSON.treeToValue(n, ReadMark.class);
                    readAt.put(r.read(), r); // the file's order: the last one counts
                    marks = true;
                } else {
                    Outcome o = JSON.treeToValue(n, Outcome.class);
                    byId.computeIfPresent(o.id(), (id, m) -> m.withStatus(o.status(), o.reason()));
                }
            } catch (RuntimeException e) {
                // a damaged line (a crash in mid-write) is skipped, the rest is kept
            }
        }
        Map<String, Boolean> pastMark = new java.util.HashMap<>();
        for (Message m : byId.values()) {
            // a message still SENDING when the phone stopped was never confirmed
            Message settled = m.status() == Status.SENDING ? m.withStatus(Status.UNCONFIRMED, null) : m;
            List<Message> l = byPeer.remove(m.peer());
            byPeer.put(m.peer(), l == null ? new ArrayList<>() : l);
            byPeer.get(m.peer()).add(settled);
            // unread: received after the message the conversation was last read up to (a file from before
            // read marks: all read); a mark whose message is gone (trimmed) goes by its time
            ReadMark mark = readAt.get(m.peer());
            boolean after = mark == null || pastMark.getOrDefault(m.peer(), false)
                    || (byId.containsKey(mark.upTo()) ? false : m.at() > mark.at());
            if (marks && m.status() == Status.RECEIVED && after) {
                unread.merge(m.peer(), 1, Integer::sum);
            }
            if (mark != null && m.id().equals(mark.upTo())) {
                pastMark.put(m.peer(), true);
            }
        }
        return lines.size() - readAt.size();
    }

    private int count() {
        return byPeer.values().stream().mapToInt(List::size).sum();
    }

    private static void trim(List<Message> l) {
        while (l.size() > PER_PEER) {
            l.removeFirst();
        }
    }

    private void rewrite() {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            StringBuilder b = new StringBuilder();
            for (List<Message> l : byPeer.values()) {
                for (Message m : l) {
                    b.append(JSON.writeValueAsString(m)).append('\n');
                }
            }
            readAt.values().forEach(r -> b.append(JSON.writeValueAsString(r)).append('\n'));
            try (java.nio.channels.FileChannel out = java.nio.channels.FileChannel.open(tmp, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(b.toString().getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) { // a write may take only part of it
                    out.write(bytes);
                }
                out.force(true); // on disk before it replaces the old file
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            tornEnd = false;
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "chat history not compacted ({0}); it is read the same way next time", e.getMessage());
        }
    }

    private void append(Object line) {
        if (file == null) {
            return;
        }
        try {
            Files.createDirectories(file.getParent());
            // a new file starts with a read mark: it tells this format (unread kept) from older files (all read)
            String first = !Files.exists(file) ? JSON.writeValueAsString(new ReadMark("", null, 0)) + "\n"
                    : tornEnd ? "\n" : ""; // after a cut-off last line that could not be repaired: start a line of our own
            tornEnd = false;
            Files.writeString(file, first + JSON.writeValueAsString(line) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // a full disk must not stop the chat: the message is shown and sent, it is only not kept
            LOG.log(System.Logger.Level.WARNING, "chat history not saved: {0}", e.getMessage());
        }
    }

    /** Records a message being sent to {@code peer}; its status is {@code SENDING} until {@link #settle}. */
    public Message sending(String peer, String text) {
        Message m;
        synchronized (this) {
            m = new Message(UUID.randomUUID().toString(), System.currentTimeMillis(), peer, nameOf(peer), true, text, Status.SENDING, null);
            add(m);
        }
        changed();
        return m;
    }

    /** Records a message received from {@code peer}; it counts as unread until {@link #read}. */
    public Message received(String peer, String peerName, String text) {
        Message m;
        synchronized (this) {
            String name = peerName == null || peerName.isBlank() ? nameOf(peer) : peerName;
            m = new Message(UUID.randomUUID().toString(), System.currentTimeMillis(), peer, name, false, text, Status.RECEIVED, null);
            add(m);
            unread.merge(peer, 1, Integer::sum);
        }
        changed();
        return m;
    }

    private void add(Message m) {
        List<Message> l = byPeer.remove(m.peer()); // re-inserted last: the map's order is the order of activity
        if (l == null) {
            l = new ArrayList<>();
        }
        byPeer.put(m.peer(), l);
        l.add(m);
        trim(l);
        append(m);
    }

    /** The outcome of a sent message: delivered, or failed with the reason. */
    public Message settle(Message m, boolean delivered, String reason) {
        return settle(m, delivered ? Status.DELIVERED : Status.FAILED, reason);
    }

    /** The outcome of a sent message: {@code DELIVERED}, {@code FAILED} (with the reason) or {@code UNCONFIRMED}. */
    public Message settle(Message m, Status s, String reason) {
        boolean delivered = s == Status.DELIVERED;
        Message done;
        synchronized (this) {
            done = m.withStatus(s, delivered ? null : reason);
            List<Message> l = byPeer.getOrDefault(m.peer(), List.of());
            for (int i = 0; i < l.size(); i++) {
                if (l.get(i).id().equals(m.id())) {
                    l.set(i, done);
                }
            }
            append(new Outcome(m.id(), s, done.reason()));
        }
        changed();
        return done;
    }

    /** The messages with {@code peer}, oldest first. */
    public synchronized List<Message> messages(String peer) {
        return List.copyOf(byPeer.getOrDefault(peer, List.of()));
    }

    /** Marks the conversation with {@code peer} as read. */
    public synchronized void read(String peer) {
        List<Message> l = byPeer.getOrDefault(peer, List.of());
        if (unread.remove(peer) != null && !l.isEmpty()) {
            ReadMark mark = new ReadMark(peer, l.getLast().id(), l.getLast().at());
            readAt.put(peer, mark);
            append(mark);
        }
    }

    public synchronized int unread() {
        return unread.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** All conversations, the most recently active first. */
    public synchronized List<Conversation> conversations() {
        return byPeer.sequencedEntrySet().reversed().stream().filter(e -> !e.getValue().isEmpty())
                .map(e -> new Conversation(e.getKey(), nameOf(e.getKey()), e.getValue().getLast(), unread.getOrDefault(e.getKey(), 0)))
                .toList();
    }

    private String nameOf(String peer) {
        List<Message> l = byPeer.getOrDefault(peer, List.of());
        for (int i = l.size() - 1; i >= 0; i--) {
            String n = l.get(i).peerName();
            if (n != null && !n.isBlank()) {
                return n;
            }
        }
        return "";
    }
}

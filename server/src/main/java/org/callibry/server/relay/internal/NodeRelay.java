package org.callibry.server.relay.internal;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.callibry.server.nodes.MediaNode;
import org.callibry.server.nodes.MediaNodes;
import org.callibry.server.nodes.ng.Bencode;
import org.callibry.server.nodes.ng.NgClient;
import org.callibry.server.relay.MediaRelay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The relay as the signaling side uses it: a new call goes to the least-loaded healthy media node and
 * stays there. The local node is driven in-process; other nodes (ours or a stock rtpengine) by the ng
 * protocol. When a node does not answer a call's first offer, the next node is tried.
 */
@Component
class NodeRelay implements MediaRelay {
    private static final Logger log = LoggerFactory.getLogger(NodeRelay.class);

    private final MediaNodes nodes;
    private final MediaPlane local;
    private final NgClient ng;
    private final Map<String, MediaNode> byCall = new ConcurrentHashMap<>();

    NodeRelay(MediaNodes nodes, MediaPlane local, NgClient ng) {
        this.nodes = nodes;
        this.local = local;
        this.ng = ng;
    }

    @Override
    public String offer(RelayCall call, String sdp, RelayOptions options) throws MediaException {
        MediaNode node = byCall.get(call.callId());
        if (node != null) {
            return offerOn(node, call, sdp, options);
        }
        MediaException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<MediaNode> picked = nodes.pick();
            if (picked.isEmpty()) {
                break;
            }
            node = picked.get();
            nodes.assigned(node);
            byCall.put(call.callId(), node);
            try {
                return offerOn(node, call, sdp, options);
            } catch (MediaException e) {
                byCall.remove(call.callId());
                nodes.released(node);
                last = e;
                if (!(e.getCause() instanceof NgClient.NgException nge) || !nge.timeout()) {
                    throw e; // the node answered with a refusal (bad SDP, no port): another node would refuse too
                }
                log.warn("Media node {} did not answer the offer of {}; trying another", node.id(), call.callId());
                if (node.kind() != MediaNode.Kind.LOCAL) {
                    MediaNode lost = node;
                    Map<String, Object> d = new LinkedHashMap<>();
                    d.put("command", "delete");
                    d.put("call-id", call.callId());
                    Thread.ofVirtual().start(() -> {
                        try {
                            ng.command(lost.ngAddress(), d); // it may have taken the offer after all
                        } catch (NgClient.NgException ignored) {
                            // the node is gone or will time the call out itself
                        }
                    });
                }
            }
        }
        throw last != null ? last : new MediaException("no healthy media node");
    }

    private String offerOn(MediaNode node, RelayCall call, String sdp, RelayOptions options) throws MediaException {
        if (node.kind() == MediaNode.Kind.LOCAL) {
            try {
                return relay().offer(call.callId(), call.fromTag(), sdp, flags(call, options));
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new MediaException(e.getMessage());
            }
        }
        Map<String, Object> d = command("offer", call, options);
        d.put("sdp", sdp);
        return sdpOf(send(node, d));
    }

    @Override
    public String answer(RelayCall call, String toTag, String sdp, RelayOptions options) throws MediaException {
        MediaNode node = byCall.get(call.callId());
        if (node == null) {
            throw new MediaException("call " + call.callId() + " is not relayed");
        }
        if (node.kind() == MediaNode.Kind.LOCAL) {
            try {
                return relay().answer(call.callId(), call.fromTag(), toTag, sdp, flags(call, options));
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new MediaException(e.getMessage());
            }
        }
        Map<String, Object> d = command("answer", call, options);
        d.put("to-tag", toTag);
        d.put("sdp", sdp);
        return sdpOf(send(node, d));
    }

    @Override
    public void delete(String callId, String reason) {
        MediaNode node = byCall.remove(callId);
        if (node == null) {
            return;
        }
        nodes.released(node);
        if (node.kind() == MediaNode.Kind.LOCAL) {
            Relay r = local.relay();
            if (r != null) {
                r.delete(callId, reason);
            }
            return;
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("command", "delete");
        d.put("call-id", callId);
        // a BYE or CANCEL never waits for a remote node's answer
        Thread.ofVirtual().name("ng-delete").start(() -> {
            try {
                ng.command(node.ngAddress(), d);
            } catch (NgClient.NgException e) {
                log.debug("ng delete of {} on {}: {}", callId, node.id(), e.getMessage());
            }
        });
    }

    /** The calls this node relays now (on any media node). */
    java.util.Set<String> callIds() {
        return java.util.Set.copyOf(byCall.keySet());
    }

    /** Seconds since the last RTP packet in either direction (0 while a side holds), or -1 for a call not relayed here. */
    long idleSeconds(String callId) {
        MediaNode node = byCall.get(callId);
        if (node == null) {
            return -1;
        }
        if (node.kind() == MediaNode.Kind.LOCAL) {
            Relay r = local.relay();
            return r == null ? -1 : r.idleSeconds(callId);
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("command", "query");
        d.put("call-id", callId);
        try {
            Map<String, Object> q = ng.command(node.ngAddress(), d);
            Object last = q.get("last packet");
            if (!(last instanceof Long)) {
                last = q.get("last signal");
            }
            return last instanceof Long l ? Math.max(0, Instant.now().getEpochSecond() - l) : -1;
        } catch (NgClient.NgException e) {
            // a node that stopped answering has lost its calls' media as well
            return e.timeout() && !nodes.node(node.id()).map(MediaNode::healthy).orElse(false) ? Long.MAX_VALUE : -1;
        }
    }

    private Relay relay() throws IllegalStateException {
        Relay r = local.relay();
        if (r == null) {
            throw new IllegalStateException("the media plane of this node is not running");
        }
        return r;
    }

    private Map<String, Object> send(MediaNode node, Map<String, Object> d) throws MediaException {
        try {
            return ng.command(node.ngAddress(), d);
        } catch (NgClient.NgException e) {
            MediaException m = new MediaException("media node " + node.id() + ": " + e.getMessage());
            m.initCause(e);
            throw m;
        }
    }

    private static String sdpOf(Map<String, Object> reply) throws MediaException {
        String sdp = Bencode.string(reply.get("sdp"));
        if (sdp == null) {
            throw new MediaException("media node answered without SDP");
        }
        return sdp;
    }

    /** The ng dictionary of an offer or answer: rtpengine's keys, and ours ({@code callibry-*}) that rtpengine ignores. */
    private static Map<String, Object> command(String name, RelayCall call, RelayOptions options) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("command", name);
        d.put("call-id", call.callId());
        d.put("from-tag", call.fromTag());
        d.put("replace", java.util.List.of("origin", "session-connection"));
        d.put("ICE", "remove");
        if (options.record()) {
            d.put("record call", "yes");
            d.put("callibry-record", options.stereo() ? "stereo" : "mono");
        }
        if (!options.musicOnHold()) {
            d.put("callibry-moh", "no");
        }
        if (call.tenantId() != null) {
            d.put("callibry-tenant", call.tenantId());
        }
        if (call.aNumber() != null) {
            d.put("callibry-a", call.aNumber());
        }
        if (call.bNumber() != null) {
            d.put("callibry-b", call.bNumber());
        }
        return d;
    }

    static Relay.Flags flags(RelayCall call, RelayOptions o) {
        return new Relay.Flags(o.record(), o.stereo(), o.musicOnHold(), false, call.tenantId(), call.aNumber(), call.bNumber());
    }
}

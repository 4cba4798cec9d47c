package org.callibry.server.calls.internal;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.message.Message;
import org.callibry.server.relay.MediaRelay.MediaException;
import org.callibry.server.relay.MediaRelay.RelayCall;
import org.callibry.server.relay.MediaRelay.RelayOptions;
import org.callibry.server.relay.MediaRelay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's side of media relaying: which calls are relayed, and the SDP rewrite of each message
 * that carries an offer or an answer (RFC 3264) — initial INVITE, 18x/2xx, re-INVITE, UPDATE, and the
 * ACK of a late-offer call. The relay keeps both parties' media on its ports; see {@link MediaRelay}.
 */
final class MediaAnchor {
    private static final Logger log = LoggerFactory.getLogger(MediaAnchor.class);

    /** A relayed call: the relay's key and what was asked for it. */
    record Relayed(RelayCall call, RelayOptions options) {
    }

    private final MediaRelay relay;
    private final HeaderFactory headers;
    private final Map<String, Relayed> calls = new ConcurrentHashMap<>();

    MediaAnchor(MediaRelay relay, HeaderFactory headers) {
        this.relay = relay;
        this.headers = headers;
    }

    boolean available() {
        return relay != null;
    }

    Relayed get(String callId) {
        return calls.get(callId);
    }

    Relayed start(RelayCall call, RelayOptions options) {
        Relayed r = new Relayed(call, options);
        calls.put(call.callId(), r);
        return r;
    }

    /** True when the message carries an SDP body (RFC 3261 §7.4, RFC 4566). */
    static boolean hasSdp(Message m) {
        ContentTypeHeader ct = (ContentTypeHeader) m.getHeader(ContentTypeHeader.NAME);
        return ct != null && "application".equalsIgnoreCase(ct.getContentType()) && "sdp".equalsIgnoreCase(ct.getContentSubType())
                && m.getRawContent() != null && m.getRawContent().length > 0;
    }

    /** Rewrites the SDP offer in {@code m}, sent by the party tagged {@code fromTag}. */
    void offer(Relayed r, Message m, String fromTag) throws MediaException {
        if (!hasSdp(m)) {
            return;
        }
        ensureLive(r);
        RelayCall call = fromTag.equals(r.call().fromTag()) ? r.call()
                : new RelayCall(r.call().callId(), fromTag, r.call().tenantId(), r.call().aNumber(), r.call().bNumber());
        replace(m, relay.offer(call, body(m), r.options()));
    }

    /** Rewrites the SDP answer in {@code m}, sent by {@code toTag} to the offer of {@code fromTag}. */
    void answer(Relayed r, Message m, String fromTag, String toTag) throws MediaException {
        if (!hasSdp(m) || toTag == null) {
            return;
        }
        ensureLive(r);
        RelayCall call = fromTag.equals(r.call().fromTag()) ? r.call()
                : new RelayCall(r.call().callId(), fromTag, r.call().tenantId(), r.call().aNumber(), r.call().bNumber());
        replace(m, relay.answer(call, toTag, body(m), r.options()));
    }

    /** A message of a call whose relay has ended (a late 2xx after CANCEL, a re-INVITE racing the BYE) must not revive it. */
    private void ensureLive(Relayed r) throws MediaException {
        if (calls.get(r.call().callId()) != r) {
            throw new MediaException("the relay of call " + r.call().callId() + " has ended");
        }
    }

    /** Ends the relay of a call (failed, cancelled, hung up); harmless for calls not relayed. */
    void end(String callId, String reason) {
        if (calls.remove(callId) != null) {
            relay.delete(callId, reason);
        }
    }

    private static String body(Message m) {
        return new String(m.getRawContent(), StandardCharsets.UTF_8);
    }

    private void replace(Message m, String sdp) {
        try {
            ContentTypeHeader ct = (ContentTypeHeader) m.getHeader(ContentTypeHeader.NAME);
            m.setContent(sdp.getBytes(StandardCharsets.UTF_8), ct != null ? ct : headers.createContentTypeHeader("application", "sdp"));
        } catch (ParseException e) {
            log.debug("Cannot set SDP", e);
        }
    }
}

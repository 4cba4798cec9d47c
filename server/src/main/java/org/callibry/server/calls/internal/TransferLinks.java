package org.callibry.server.calls.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which call a transferee's new INVITE continues. A blind transfer (RFC 3515) ends with the transferee
 * calling the Refer-To target on a dialog of its own, with a new SIP Call-ID; once a REFER was accepted
 * this remembers (transferee, target) → the call's id for a short while, and the first INVITE from that
 * transferee to that target claims it, so the new leg's events and detail record carry the same call id.
 * Thread-safe; entries expire after {@code ttl} whether claimed or not.
 */
final class TransferLinks {
    private record Key(String transferee, String target) {
    }

    private record Link(String callId, Instant until) {
    }

    private final Duration ttl;
    private final Map<Key, Link> links = new ConcurrentHashMap<>();

    TransferLinks(Duration ttl) {
        this.ttl = ttl;
    }

    /** The REFER of call {@code callId} asked {@code transferee} (a user part) to call {@code target} (a user part). */
    void referred(String transferee, String target, String callId, Instant now) {
        if (transferee == null || target == null) {
            return;
        }
        purge(now);
        links.put(new Key(transferee, target), new Link(callId, now.plus(ttl)));
    }

    /** The call a new INVITE from {@code from} to {@code to} continues, if it is a transfer's; claimed once. */
    Optional<String> claim(String from, String to, Instant now) {
        if (from == null || to == null || links.isEmpty()) {
            return Optional.empty();
        }
        Link link = links.remove(new Key(from, to));
        return link == null || link.until().isBefore(now) ? Optional.empty() : Optional.of(link.callId());
    }

    int size() {
        return links.size();
    }

    private void purge(Instant now) {
        for (Iterator<Link> it = links.values().iterator(); it.hasNext(); ) {
            if (it.next().until().isBefore(now)) {
                it.remove();
            }
        }
    }
}

package org.callibry.server.acd.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import org.callibry.shared.api.dto.Queues;

/**
 * A queue at run time: its configuration, its members (agents with penalties, in member order), and
 * its waiting list in service order. Mutable; guarded by the {@link Acd}'s lock.
 */
final class QueueRuntime {
    static final Comparator<Entry> SERVICE_ORDER = Comparator.<Entry>comparingInt(e -> -e.priority)
            .thenComparing(e -> e.enteredAt).thenComparingLong(e -> e.seq);

    record Member(Agent agent, int penalty) {
    }

    Queues.Queue config;
    List<Member> members = List.of();
    final TreeSet<Entry> waiting = new TreeSet<>(SERVICE_ORDER);
    /** The waiting entries a supervisor sent to a named agent ({@code queue.directToAgent}): offered apart. */
    final java.util.Set<Entry> directs = new java.util.LinkedHashSet<>();
    /** ROUND_ROBIN: the member index offered last. */
    int lastOffered = -1;
    /** Moving average of talk time (s) of answered calls, for the estimated wait. */
    double avgTalkSeconds = 120;

    QueueRuntime(Queues.Queue config) {
        this.config = config;
    }

    long id() {
        return config.id();
    }

    /** Position (1 = next) of {@code e}, or 0 when it is not waiting here. */
    int position(Entry e) {
        if (!waiting.contains(e)) {
            return 0;
        }
        return waiting.headSet(e, true).size();
    }

    /** Member agents logged in (registered and not logged out). */
    int loggedIn() {
        int n = 0;
        for (Member m : members) {
            if (m.agent().loggedIn()) {
                n++;
            }
        }
        return n;
    }

    /** Estimated wait of the caller at {@code position}: the talk time ahead of it shared by the logged-in agents. */
    long estimatedWaitSeconds(int position) {
        return Math.round(avgTalkSeconds * position / Math.max(1, loggedIn()));
    }

    List<Entry> entries() {
        return new ArrayList<>(waiting);
    }
}

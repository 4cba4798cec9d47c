package org.callibry.server.queuelog.internal;

import java.time.Instant;
import java.util.UUID;
import org.callibry.server.acd.AgentStatusChanged;
import org.callibry.server.acd.QueueEvent;
import org.callibry.server.storage.SpooledWriter;

/** One row of {@code queue_log}: a queue event, or an agent change (event {@code AGENT}). */
record QueueLogRecord(UUID id, Instant at, long tenantId, Long queueId, String callId, String entryId, String event,
                      String caller, Long agentId, Long accountId, int position, long waitSeconds, String status,
                      String state, String detail) {

    static final String AGENT = "AGENT";
    static final int MAX_TEXT = 1000;

    static QueueLogRecord of(QueueEvent e) {
        return new QueueLogRecord(id(e.at()), e.at(), e.tenantId(), e.queueId(), e.callId(), e.entryId(), e.type().name(),
                text(e.caller()), e.agentId(), e.accountId(), e.position(), e.waitSeconds(), null, null, text(e.detail()));
    }

    static QueueLogRecord of(AgentStatusChanged e, Instant now) {
        var s = e.status();
        Instant at = e.at() != null ? e.at() : now;
        return new QueueLogRecord(id(at), at, s.tenantId(), s.queueId(), s.callId(), null, AGENT, null, e.agentId(),
                s.accountId(), 0, 0, s.status() == null ? null : s.status().name(), s.state() == null ? null : s.state().name(),
                text(s.reason()));
    }

    private static String text(String v) {
        if (v == null) {
            return null;
        }
        String clean = v.replace("\0", "");
        return clean.length() <= MAX_TEXT ? clean : clean.substring(0, MAX_TEXT);
    }

    private static UUID id(Instant time) {
        return SpooledWriter.timeOrderedId(time);
    }
}

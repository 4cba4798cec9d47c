package org.callibry.softphone.server;

import java.time.Instant;
import java.util.Optional;
import org.callibry.shared.api.dto.Agents;
import org.callibry.shared.api.dto.Notification;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Picks the operator's own status out of the push channel: the server sends
 * {@code agent.statusChanged} for every agent of the tenant, and only the operator's account matters
 * here. The account is known by its id once the server named it (from {@code agent.getStatus} or
 * {@code agent.setStatus}: {@link #known}); before that, by its number (the phone's SIP user). It
 * keeps the latest status, whichever way it came. Thread-safe.
 */
public final class OwnStatus {
    /** The push sent whenever an agent's chosen status or live state changes. */
    public static final String STATUS_CHANGED = "agent.statusChanged";

    private final JsonMapper json = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    private final String number;
    private Long accountId;
    private Agents.AgentStatus latest;

    /** {@code number}: the operator's account number, until the server names the account's id. */
    public OwnStatus(String number) {
        this.number = number;
    }

    /**
     * The server answered with the operator's status ({@code agent.getStatus}, {@code agent.setStatus}):
     * its account is the one to follow; kept unless it is older than the one known (a push may
     * overtake an answer). Returns whether it was kept.
     */
    public synchronized boolean known(Agents.AgentStatus s) {
        accountId = s.accountId();
        return keep(s);
    }

    /** The operator's status in {@code n} when it is an {@code agent.statusChanged} about the operator, newer than the one known. */
    public synchronized Optional<Agents.AgentStatus> of(Notification n) {
        if (!STATUS_CHANGED.equals(n.method()) || n.params() == null || n.params().isNull()) {
            return Optional.empty();
        }
        Agents.AgentStatus s = json.treeToValue(n.params(), Agents.AgentStatus.class);
        boolean own = accountId != null ? s.accountId() == accountId : number != null && number.equals(s.number());
        if (!own) {
            return Optional.empty();
        }
        accountId = s.accountId();
        return keep(s) ? Optional.of(s) : Optional.empty();
    }

    /** The operator's status as last known. */
    public synchronized Optional<Agents.AgentStatus> latest() {
        return Optional.ofNullable(latest);
    }

    private boolean keep(Agents.AgentStatus s) {
        if (latest != null && moment(s).isBefore(moment(latest))) {
            return false;
        }
        latest = s;
        return true;
    }

    /** When the status or the live state last changed, whichever is later. */
    private static Instant moment(Agents.AgentStatus s) {
        Instant a = s.changedAt() == null ? Instant.MIN : s.changedAt();
        Instant b = s.stateSince() == null ? Instant.MIN : s.stateSince();
        return a.isAfter(b) ? a : b;
    }
}

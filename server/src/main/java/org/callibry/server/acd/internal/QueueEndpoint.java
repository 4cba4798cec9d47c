package org.callibry.server.acd.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.callibry.server.api.Caller;
import org.callibry.server.api.RpcException;
import org.callibry.server.api.RpcMethod;
import org.callibry.server.directory.AudioPrompts;
import org.callibry.server.directory.SipDirectory;
import org.callibry.server.storage.Sql;
import org.callibry.shared.api.Role;
import org.callibry.shared.api.dto.IdParams;
import org.callibry.shared.api.dto.Page;
import org.callibry.shared.api.dto.Queues;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code queue.create/get/list/update/delete}. Admins work on any tenant, supervisors and customers on
 * their own; operators read the queues they are members of. Every reference is checked on save: members
 * and overflow accounts are accounts of the queue's tenant, overflow queues are its other queues, music
 * files are its audio files. A saved queue is live at once.
 */
@Component
class QueueEndpoint {
    private static final Map<String, String> UNIQUE = Map.of("acd_queue_number_uq", "number");

    private final QueueStore store;
    private final AcdService service;
    private final SipDirectory directory;
    private final AudioPrompts audio;
    private final TransactionTemplate tx;

    QueueEndpoint(QueueStore store, AcdService service, SipDirectory directory, AudioPrompts audio, TransactionTemplate tx) {
        this.store = store;
        this.service = service;
        this.directory = directory;
        this.audio = audio;
        this.tx = tx;
    }

    @RpcMethod(value = "queue.list", roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER, Role.OPERATOR},
            summary = "Queues of a tenant (operators: the queues they are members of)")
    Page<Queues.Queue> list(Caller caller, Queues.ListParams params) {
        Long tenant = caller.scopeTenant(params.tenantId(), "tenantId");
        List<Queues.Queue> all = store.queues().stream().filter(q -> tenant == null || q.tenantId() == tenant)
                .filter(q -> member(caller, q)).toList();
        return new Page<>(all, all.size(), 0, all.size());
    }

    @RpcMethod(value = "queue.get", roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER, Role.OPERATOR}, summary = "One queue")
    Queues.Queue get(Caller caller, IdParams params) {
        return visible(caller, params.id());
    }

    @RpcMethod(value = "queue.create", roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER}, summary = "Create a queue")
    Queues.Queue create(Caller caller, Queues.Create p) {
        Long tenantId = caller.scopeTenant(p.tenantId(), "tenantId");
        if (tenantId == null) {
            throw RpcException.invalid("tenantId", "must not be null");
        }
        Queues.Queue q = new Queues.Queue(0, tenantId, p.number(), p.name().strip(), or(p.strategy(), Queues.Strategy.RING_ALL),
                or(p.members(), List.of()), or(p.musicOnHold(), List.of()), or(p.maxWaiting(), 0), or(p.maxWaitSeconds(), 0),
                p.overflowOnTimeout(), p.overflowWhenFull(), p.overflowNoAgents(), or(p.announceEverySeconds(), 60),
                or(p.language(), "en"), or(p.wrapUpSeconds(), 0), or(p.ringTimeoutSeconds(), 20), or(p.serviceLevelSeconds(), 20),
                or(p.callbackDigit(), ""), or(p.callbackRetries(), 3), or(p.autoPauseAfterMissed(), 0), or(p.weight(), 0),
                or(p.priority(), 0), or(p.record(), false), or(p.shortAbandonSeconds(), 5), or(p.hours(), List.of()), or(p.closedOnHolidays(), false), p.overflowWhenClosed(), null, null);
        return save(null, q);
    }

    @RpcMethod(value = "queue.update", roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER}, summary = "Change a queue")
    Queues.Queue update(Caller caller, Queues.Update p) {
        Queues.Queue o = visible(caller, p.id());
        List<String> clear = or(p.clearOverflows(), List.of());
        Queues.Queue q = new Queues.Queue(o.id(), o.tenantId(), or(p.number(), o.number()),
                p.name() == null ? o.name() : p.name().strip(), or(p.strategy(), o.strategy()), or(p.members(), o.members()),
                or(p.musicOnHold(), o.musicOnHold()), or(p.maxWaiting(), o.maxWaiting()), or(p.maxWaitSeconds(), o.maxWaitSeconds()),
                clear.contains("onTimeout") ? null : or(p.overflowOnTimeout(), o.overflowOnTimeout()),
                clear.contains("whenFull") ? null : or(p.overflowWhenFull(), o.overflowWhenFull()),
                clear.contains("noAgents") ? null : or(p.overflowNoAgents(), o.overflowNoAgents()),
                or(p.announceEverySeconds(), o.announceEverySeconds()), or(p.language(), o.language()),
                or(p.wrapUpSeconds(), o.wrapUpSeconds()), or(p.ringTimeoutSeconds(), o.ringTimeoutSeconds()),
                or(p.serviceLevelSeconds(), o.serviceLevelSeconds()), or(p.callbackDigit(), o.callbackDigit()),
                or(p.callbackRetries(), o.callbackRetries()), or(p.autoPauseAfterMissed(), o.autoPauseAfterMissed()),
                or(p.weight(), o.weight()), or(p.priority(), o.priority()), or(p.record(), o.record()), or(p.shortAbandonSeconds(), o.shortAbandonSeconds()), or(p.hours(), o.hours()), or(p.closedOnHolidays(), o.closedOnHolidays()),
                clear.contains("whenClosed") ? null : or(p.overflowWhenClosed(), o.overflowWhenClosed()), o.createdAt(), null);
        return save(o.id(), q);
    }

    @RpcMethod(value = "queue.delete", roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER},
            summary = "Delete a queue (its waiting callers are hung up, its callback requests dropped)")
    void delete(Caller caller, IdParams params) {
        Queues.Queue q = visible(caller, params.id());
        store.delete(q.id());
        service.acd().removeQueue(q.id());
    }

    /** Checks the references, stores queue and members, and puts the queue live. */
    Queues.Queue save(Long id, Queues.Queue q) {
        check(id, q);
        List<QueueStore.AgentRow> agents = new ArrayList<>();
        long saved;
        try {
            saved = Objects.requireNonNull(tx.execute(s -> {
                long queueId = store.save(id, q.tenantId(), q);
                List<Long> agentIds = new ArrayList<>();
                List<Integer> penalties = new ArrayList<>();
                for (Queues.Member m : q.members()) {
                    QueueStore.AgentRow a = store.agentOf(m.accountId(), q.tenantId(), null);
                    agents.add(a);
                    agentIds.add(a.id());
                    penalties.add(m.penalty());
                }
                store.replaceMembers(queueId, agentIds, penalties);
                return queueId;
            }));
        } catch (DataIntegrityViolationException e) {
            throw Sql.conflict(e, UNIQUE);
        }
        agents.forEach(service::agentChanged);
        Queues.Queue stored = store.queue(saved);
        service.acd().queue(stored);
        return stored;
    }

    private void check(Long id, Queues.Queue q) {
        Set<Long> seen = new HashSet<>();
        for (Queues.Member m : q.members()) {
            if (!seen.add(m.accountId())) {
                throw RpcException.invalid("members", "account " + m.accountId() + " is listed twice");
            }
        }
        Map<Long, SipDirectory.Credentials> accounts = directory.accounts(seen);
        for (Long account : seen) {
            SipDirectory.Credentials c = accounts.get(account);
            if (c == null || c.tenantId() != q.tenantId()) {
                throw RpcException.invalid("members", "account " + account + " is not an account of tenant " + q.tenantId());
            }
        }
        for (Long file : q.musicOnHold()) {
            if (audio.playback(q.tenantId(), file).isEmpty()) {
                throw RpcException.invalid("musicOnHold", "audio file " + file + " is not an audio file of tenant " + q.tenantId());
            }
        }
        overflow("overflowOnTimeout", id, q, q.overflowOnTimeout());
        overflow("overflowWhenFull", id, q, q.overflowWhenFull());
        overflow("overflowNoAgents", id, q, q.overflowNoAgents());
        overflow("overflowWhenClosed", id, q, q.overflowWhenClosed());
        QueueHours.invalid(q.hours()).ifPresent(reason -> {
            throw RpcException.invalid("hours", reason);
        });
    }

    private void overflow(String field, Long id, Queues.Queue q, Queues.Overflow o) {
        if (o == null) {
            return;
        }
        String t = o.target().strip();
        switch (o.kind()) {
            case QUEUE -> {
                long target = number(field, t);
                if (id != null && target == id) {
                    throw RpcException.invalid(field, "a queue cannot overflow to itself");
                }
                Queues.Queue other = store.queue(target);
                if (other == null || other.tenantId() != q.tenantId()) {
                    throw RpcException.invalid(field, "queue " + t + " is not a queue of tenant " + q.tenantId());
                }
            }
            case ACCOUNT -> {
                long target = number(field, t);
                if (directory.account(target).filter(c -> c.tenantId() == q.tenantId()).isEmpty()) {
                    throw RpcException.invalid(field, "account " + t + " is not an account of tenant " + q.tenantId());
                }
            }
            case NUMBER -> {
                if (!t.matches("\\+?[0-9*#]{1,32}")) {
                    throw RpcException.invalid(field, "a number is 1-32 of 0-9 * # (with an optional leading +)");
                }
            }
        }
    }

    private static long number(String field, String t) {
        try {
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw RpcException.invalid(field, "target must be an id, not '" + t + "'");
        }
    }

    Queues.Queue visible(Caller caller, long id) {
        Queues.Queue q = store.queue(id);
        if (q == null || !caller.canSee(q.tenantId()) || !member(caller, q)) {
            throw RpcException.notFound("queue", id);
        }
        return q;
    }

    /** Operators see only the queues their account is a member of. */
    private boolean member(Caller caller, Queues.Queue q) {
        if (caller.role() != Role.OPERATOR) {
            return true;
        }
        Long own = directory.accountOfUser(caller.userId()).orElse(null);
        return own != null && q.members().stream().anyMatch(m -> m.accountId().equals(own));
    }

    private static <T> T or(T value, T fallback) {
        return value == null ? fallback : value;
    }
}

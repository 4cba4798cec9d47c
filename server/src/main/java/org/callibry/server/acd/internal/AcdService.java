package org.callibry.server.acd.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;
import org.callibry.server.acd.QueueDirectory;
import org.callibry.server.calls.CallControl;
import org.callibry.server.calls.CallEnded;
import org.callibry.server.calls.CallOffered;
import org.callibry.server.calls.CallSession;
import org.callibry.server.calls.ServiceNumbers;
import org.callibry.server.directory.AccountPresence;
import org.callibry.server.directory.AudioPrompts;
import org.callibry.server.directory.DirectoryChanged;
import org.callibry.server.directory.SipDirectory;
import org.callibry.server.relay.rtp.MusicOnHold;
import org.callibry.server.routing.Destination;
import org.callibry.server.routing.ServiceCatalog;
import org.callibry.server.sip.RegistrationChanged;
import org.callibry.shared.api.Methods;
import org.callibry.shared.api.dto.Agents;
import org.callibry.shared.api.dto.Queues;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The ACD in the server: loads queues, agents and callback requests at start, serves the
 * {@code queue} media service (each call a {@link WaitingCaller}), dials queue numbers like
 * extensions ({@link ServiceNumbers}), follows registrations and calls to keep agents' live states,
 * and ends waiting calls cleanly when the server stops.
 */
@Component
class AcdService implements SmartLifecycle, ServiceNumbers, ServiceCatalog, org.callibry.server.acd.QueueDirectory,
        org.callibry.server.acd.QueueLive, org.callibry.server.acd.QueueEntrance {
    private static final Logger log = LoggerFactory.getLogger(AcdService.class);
    static final String KIND = "queue";

    private final QueueStore store;
    private final Object agentsLock = new Object();
    private final org.callibry.server.directory.TenantZones zones;
    private final org.callibry.server.directory.Holidays holidays;
    private final SipDirectory directory;
    private final ObjectProvider<AccountPresence> presence;
    private final ObjectProvider<CallControl> calls;
    private final MusicOnHold music;
    private final AudioPrompts audio;
    private final Announcements prompts;
    private final AcdClock clock;
    private final Acd.Port port;
    private volatile Acd acd;
    private volatile boolean running;
    private final PolledEvents sipEvents = new PolledEvents("acd-sip-events");

    AcdService(QueueStore store, AcdClock clock, SipDirectory directory, ObjectProvider<AccountPresence> presence,
               ObjectProvider<CallControl> calls, MusicOnHold music, AudioPrompts audio, Announcements prompts,
               ApplicationEventPublisher events, org.callibry.server.directory.TenantZones zones,
               org.callibry.server.directory.Holidays holidays) {
        this.zones = zones;
        this.holidays = holidays;
        this.store = store;
        this.directory = directory;
        this.presence = presence;
        this.calls = calls;
        this.music = music;
        this.audio = audio;
        this.prompts = prompts;
        this.clock = clock;
        this.port = new Acd.Port() {
            @Override
            public CompletableFuture<CallSession> originate(CallControl.Originate request) {
                CallControl c = calls.getIfAvailable();
                return c == null ? CompletableFuture.failedFuture(new IllegalStateException("no media server"))
                        : c.originate(request);
            }

            @Override
            public void publish(Object event) {
                events.publishEvent(event);
            }

            @Override
            public void saveStatus(long agentId, Agents.Status status, String reason) {
                store.saveStatus(agentId, status, reason);
            }

            @Override
            public void saveCallback(QueueStore.CallbackRow row) {
                store.saveCallback(row);
            }

            @Override
            public void deleteCallback(String id) {
                store.deleteCallback(id);
            }

            @Override
            public Optional<String> accountNumber(long accountId) {
                return directory.account(accountId).map(SipDirectory.Credentials::number);
            }
        };
        this.acd = newAcd();
    }

    private Acd newAcd() {
        return new Acd(port, clock, AgentReservations.local(), RandomGenerator.getDefault());
    }

    Acd acd() {
        return acd;
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Loads everything from the database into a fresh ACD: after a stop (a restart of the server, or of
     * this module in a test) the queues, agents' chosen statuses and callback requests are as stored.
     */
    @Override
    public void start() {
        if (acd.stopped()) {
            acd = newAcd();
        }
        reload();
        for (QueueStore.CallbackRow c : store.callbacks()) {
            acd.restoreCallback(c);
        }
        CallControl c = calls.getIfAvailable();
        if (c != null) {
            c.register(KIND, this::serve);
        }
        running = true;
        acd.dispatch();
    }

    /**
     * Reads agents and queues from the database into the ACD (at start, and after a change elsewhere).
     * Serialised with {@link #agentChanged}: a reload that read its rows before a new agent was stored
     * must not forget that agent once it was put in memory.
     */
    void reload() {
        synchronized (agentsLock) {
            List<QueueStore.AgentRow> rows = store.agents();
            Map<Long, SipDirectory.Credentials> accounts = directory.accounts(rows.stream().map(QueueStore.AgentRow::accountId).toList());
            AccountPresence p = presence.getIfAvailable();
            for (QueueStore.AgentRow r : rows) {
                SipDirectory.Credentials a = accounts.get(r.accountId());
                acd.agent(withUser(r), a == null ? null : a.number(), p != null && p.contacts(r.accountId()) > 0);
            }
            acd.retainAgents(rows.stream().map(QueueStore.AgentRow::id).collect(java.util.stream.Collectors.toSet()));
            for (Queues.Queue q : store.queues()) {
                acd.queue(q);
            }
        }
    }

    /** An agent row changed (created, linked, status): into memory with its account's number and registration. */
    void agentChanged(QueueStore.AgentRow r) {
        synchronized (agentsLock) {
            AccountPresence p = presence.getIfAvailable();
            acd.agent(withUser(r), directory.account(r.accountId()).map(SipDirectory.Credentials::number).orElse(null),
                    p != null && p.contacts(r.accountId()) > 0);
        }
    }

    /** The agent's operator user: the one it was linked to, else the user linked to its account. */
    private QueueStore.AgentRow withUser(QueueStore.AgentRow r) {
        if (r.userId() != null) {
            return r;
        }
        return new QueueStore.AgentRow(r.id(), r.tenantId(), r.accountId(), directory.userOfAccount(r.accountId()).orElse(null),
                r.status(), r.reason(), r.changedAt());
    }

    @Override
    public void stop() {
        running = false;
        acd.stop();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** The context closes: the SIP events' thread ends (a test run makes many contexts). */
    @jakarta.annotation.PreDestroy
    void destroy() {
        sipEvents.stop();
    }

    /** After the media server (so it can register with it) and stopped before it (so waiting calls get their BYE). */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1000;
    }

    // ---------------------------------------------------------------- the queue media service

    private void serve(CallSession session) {
        long queueId;
        try {
            queueId = Long.parseLong(session.serviceName());
        } catch (NumberFormatException e) {
            session.reject(404, "No such queue");
            return;
        }
        Acd.Admission admission = acd.admit(queueId, session, closed(queueId));
        if (admission.entry() == null) {
            if (admission.overflow() != null) {
                overflowAtOnce(session, admission);
            } else {
                session.reject(admission.queue() == null ? 404 : Acd.CLOSED.equals(admission.refusal()) ? 480 : 486,
                        admission.refusal());
            }
            return;
        }
        Entry e = admission.entry();
        new WaitingCaller(acd, e, prompts, music(admission.queue())).start();
    }

    /** Full, or no agent: the caller goes straight to the overflow (answered first, so it hears music meanwhile). */
    /** False when the queue could not take the caller after all (deleted, server stopping): refused then. */
    private boolean overflowAtOnce(CallSession session, Acd.Admission admission) {
        Queues.Queue q = admission.queue();
        Acd.Admission forced = acd.admitAnyway(q.id(), session);
        if (forced.entry() == null) {
            session.reject(486, admission.refusal());
            return false;
        }
        session.answer();
        session.play(music(q), true, false);
        acd.enter(forced.entry());
        session.addListener(new CallSession.Listener() {
            @Override
            public void ended(CallSession s, String reason) {
                acd.callerLeft(forced.entry(), reason);
            }
        });
        acd.overflow(forced.entry(), admission.overflow(), org.callibry.server.acd.QueueEvent.Type.OVERFLOWED, admission.refusal());
        return true;
    }

    private List<short[]> music(Queues.Queue q) {
        if (!q.musicOnHold().isEmpty()) {
            List<short[]> list = new ArrayList<>();
            for (Long id : q.musicOnHold()) {
                audio.playback(q.tenantId(), id).ifPresent(list::add);
            }
            if (!list.isEmpty()) {
                return list;
            }
        }
        return music.forTenant(q.tenantId());
    }

    // ---------------------------------------------------------------- numbers dialled like extensions

    @Override
    public Optional<Destination.MediaService> lookup(long tenantId, String number) {
        return acd.queueByNumber(tenantId, number)
                .map(id -> new Destination.MediaService(Destination.MediaService.Kind.QUEUE, Long.toString(id)));
    }

    @Override
    public boolean recorded(Destination.MediaService service) {
        if (service.kind() != Destination.MediaService.Kind.QUEUE) {
            return false;
        }
        try {
            return acd.recorded(Long.parseLong(service.name().strip()));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    @Override
    public Map<Long, QueueDirectory.Info> queues(java.util.Collection<Long> queueIds) {
        Map<Long, QueueDirectory.Info> out = new java.util.HashMap<>();
        for (Long id : queueIds) {
            if (id != null) {
                acd.config(id).ifPresent(q -> out.put(id, info(q)));
            }
        }
        return out;
    }

    @Override
    public Map<Long, QueueDirectory.Info> queuesOf(Long tenantId) {
        Map<Long, QueueDirectory.Info> out = new java.util.HashMap<>();
        for (Long id : acd.queueIds()) {
            acd.config(id).filter(q -> tenantId == null || q.tenantId() == tenantId).ifPresent(q -> out.put(id, info(q)));
        }
        return out;
    }

    @Override
    public boolean open(long queueId) {
        return !closed(queueId);
    }

    /** Outside the queue's hours (in its tenant's time zone), or on a holiday that closes it. */
    private boolean closed(long queueId) {
        Queues.Queue q = acd.config(queueId).orElse(null);
        if (q == null || q.hours().isEmpty() && !q.closedOnHolidays()) {
            return false;
        }
        java.time.ZonedDateTime now = clock.now().atZone(zones.zone(q.tenantId()));
        boolean holiday = q.closedOnHolidays() && holidays.holiday(q.tenantId(), now.toLocalDate()).isPresent();
        return !QueueHours.open(q, now, holiday);
    }

    @Override
    public Optional<String> number(long queueId) {
        return acd.config(queueId).map(Queues.Queue::number);
    }

    @Override
    public Optional<String> enter(CallSession session, long queueId) {
        if (!running) {
            return Optional.of("the queues are not running");
        }
        Acd.Admission admission = acd.admit(queueId, session, closed(queueId));
        if (admission.entry() == null) {
            if (admission.overflow() != null) {
                return overflowAtOnce(session, admission) ? Optional.empty() : Optional.of(admission.refusal());
            }
            return Optional.of(admission.queue() == null ? "no queue " + queueId : admission.refusal());
        }
        new WaitingCaller(acd, admission.entry(), prompts, music(admission.queue())).start();
        return Optional.empty();
    }

    @Override
    public List<org.callibry.server.acd.QueueLive.Snapshot> snapshot(Long tenantId) {
        return acd.snapshot(tenantId);
    }

    private static QueueDirectory.Info info(Queues.Queue q) {
        return new QueueDirectory.Info(q.id(), q.tenantId(), q.name(), q.serviceLevelSeconds(), q.wrapUpSeconds(),
                q.shortAbandonSeconds());
    }

    /** A route to a queue names it by id, and the queue must exist. */
    @Override
    public Optional<String> refuse(Destination.MediaService.Kind kind, String name) {
        if (kind != Destination.MediaService.Kind.QUEUE) {
            return Optional.empty();
        }
        try {
            if (store.queue(Long.parseLong(name.strip())) != null) {
                return Optional.empty();
            }
        } catch (NumberFormatException e) {
            return Optional.of("a QUEUE route names the queue by its id, not '" + name + "'");
        }
        return Optional.of("queue " + name + " does not exist");
    }

    // ---------------------------------------------------------------- what SIP says of agents

    @EventListener
    void on(RegistrationChanged e) {
        sipEvents.execute(() -> acd.registration(e.accountId(), e.contacts()));
    }

    /** Published on the SIP threads: handed to the ACD's own thread, in order, so signaling never waits for its lock. */
    @EventListener
    void on(CallOffered e) {
        sipEvents.execute(() -> acd.callStarted(e.callId(), e.tenantId(), e.aNumber(), e.bNumber()));
    }

    @EventListener
    void on(CallEnded e) {
        sipEvents.execute(() -> acd.callEnded(e.callId(), e.tenantId(), e.aNumber(), e.bNumber()));
    }

    /** An account renamed or deleted, a user linked: agents reread (numbers, users), off the publisher's thread. */
    @org.springframework.transaction.event.TransactionalEventListener(fallbackExecution = true) // after the commit
    void on(DirectoryChanged e) {
        if ((Methods.ACCOUNT.equals(e.family()) || Methods.USER.equals(e.family())) && running) {
            Thread.ofVirtual().name("acd-reload").start(() -> {
                try {
                    reload();
                } catch (RuntimeException ex) {
                    log.warn("ACD reload after an account change failed: {}", ex.toString());
                }
            });
        }
    }
}

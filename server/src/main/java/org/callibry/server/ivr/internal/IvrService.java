package org.callibry.server.ivr.internal;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import org.callibry.server.acd.QueueDirectory;
import org.callibry.server.acd.QueueEntrance;
import org.callibry.server.calls.CallControl;
import org.callibry.server.calls.CallEnded;
import org.callibry.server.calls.CallOutcome;
import org.callibry.server.calls.CallSession;
import org.callibry.server.calls.ServiceNumbers;
import org.callibry.server.crm.CallerCards;
import org.callibry.server.directory.AudioUploads;
import org.callibry.server.directory.Holidays;
import org.callibry.server.directory.SipDirectory;
import org.callibry.server.directory.TenantZones;
import org.callibry.server.routing.Destination;
import org.callibry.server.routing.ServiceCatalog;
import org.callibry.shared.api.dto.Ivrs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The IVR in the server: keeps every scenario's latest version in memory, serves the {@code ivr}
 * media service (each call walks its scenario on the call's virtual thread, through a
 * {@link CallPort}), dials scenario numbers like extensions ({@link ServiceNumbers}), checks routes
 * that name a scenario ({@link ServiceCatalog}), and stores each call's trace.
 */
@Component
class IvrService implements SmartLifecycle, ServiceNumbers, ServiceCatalog {
    private static final Logger log = LoggerFactory.getLogger(IvrService.class);
    static final String KIND = "ivr";

    /** A scenario as calls run it: the stored row and its document read. */
    record Live(Ivrs.Ivr row, Scenario scenario) {
    }

    private record NumberKey(long tenantId, String number) {
    }

    private final IvrStore store;
    private final ObjectProvider<CallControl> calls;
    private final ApplicationEventPublisher events;
    private final CallPort.Services services;
    private final Map<Long, Live> live = new ConcurrentHashMap<>();
    private final Map<NumberKey, Long> numbers = new ConcurrentHashMap<>();
    private volatile boolean running;

    IvrService(IvrStore store, ObjectProvider<CallControl> calls, ApplicationEventPublisher events, IvrPrompts prompts,
               AudioUploads uploads, ObjectProvider<QueueDirectory> queues, ObjectProvider<QueueEntrance> entrance,
               SipDirectory directory, TenantZones zones,
               Holidays holidays, ObjectProvider<CallerCards> cards, @Value("${callibry.data-dir}") Path dataDir,
               @Value("${callibry.ivr.http.allow:}") List<String> httpAllow) {
        this.store = store;
        this.calls = calls;
        this.events = events;
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        this.services = new CallPort.Services(prompts, http, uploads, new LazyCalls(calls), new LazyQueues(queues), new LazyEntrance(entrance), directory,
                zones, holidays, this::loaded, dataDir.toAbsolutePath().resolve("tmp").resolve("ivr"), new HttpGuard(httpAllow),
                (tenant, number) -> cards.getObject().card(tenant, number));
    }

    // ---------------------------------------------------------------- memory

    /** Reads every scenario into memory (at start). */
    void reload() {
        live.clear();
        numbers.clear();
        for (Ivrs.Ivr row : store.all()) {
            put(row);
        }
    }

    /** A saved scenario: its latest version is what the next call runs. */
    void put(Ivrs.Ivr row) {
        ScenarioValidator.Checked checked = ScenarioValidator.check(row.scenario(), null);
        Live old = live.put(row.id(), new Live(row, checked.scenario()));
        if (old != null && old.row().number() != null) {
            numbers.remove(new NumberKey(old.row().tenantId(), old.row().number()), row.id());
        }
        if (row.number() != null) {
            numbers.put(new NumberKey(row.tenantId(), row.number()), row.id());
        }
    }

    void remove(long id) {
        Live old = live.remove(id);
        if (old != null && old.row().number() != null) {
            numbers.remove(new NumberKey(old.row().tenantId(), old.row().number()), id);
        }
    }

    Optional<Live> live(long id) {
        return Optional.ofNullable(live.get(id));
    }

    private Optional<IvrPort.Loaded> loaded(long id) {
        return live(id).map(l -> new IvrPort.Loaded(l.row().id(), l.row().tenantId(), l.row().version(), l.scenario()));
    }

    CallPort.Services services() {
        return services;
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    public void start() {
        reload();
        CallControl c = calls.getIfAvailable();
        if (c != null) {
            c.register(KIND, this::serve);
        }
        running = true;
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** After the media server, so it can register with it. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1000;
    }

    // ---------------------------------------------------------------- a call

    /** One call, on its own virtual thread: answer, walk the scenario, keep the trace. */
    void serve(CallSession session) {
        Live l;
        try {
            l = live(Long.parseLong(session.serviceName().strip())).orElse(null);
        } catch (NumberFormatException e) {
            l = null;
        }
        if (l == null || session.tenantId() != null && session.tenantId() != l.row().tenantId()) {
            // a call of one tenant (its phone, its route, its campaign) never runs another tenant's scenario
            session.reject(404, "No such IVR scenario");
            return;
        }
        Ivrs.Ivr row = l.row();
        session.answer();
        Instant started = Instant.now();
        // a campaign's call brings its number's CSV columns; the run's own variables below take precedence
        Map<String, String> variables = new java.util.LinkedHashMap<>(session.variables());
        variables.put("caller", nullToEmpty(session.caller()));
        variables.put("called", nullToEmpty(session.called()));
        variables.put("callId", nullToEmpty(session.callId()));
        variables.put("tenantId", Long.toString(row.tenantId()));
        variables.put("scenarioId", Long.toString(row.id()));
        Ivrs.Trace trace;
        CallPort port = new CallPort(session, row.tenantId(), services);
        try {
            trace = new Interpreter(l.scenario(), port, variables).run();
        } catch (RuntimeException e) {
            log.warn("IVR scenario {} failed on call {}", row.id(), session.callId(), e);
            trace = new Ivrs.Trace(java.util.List.of(), java.util.List.of(), variables, "error", null, e.toString(), java.util.List.of());
        } finally {
            if (!port.handedOver()) {
                session.hangup("IVR ended");
            }
        }
        log.info("IVR {} '{}' v{} call {} from {}: {} at {} ({})", row.id(), row.name(), row.version(), session.callId(),
                session.caller(), trace.end(), trace.endNode(), trace.detail());
        if (!"queue".equals(trace.end())) {
            // the queue says how a call it took ended; otherwise the IVR is what answered
            events.publishEvent(new CallOutcome(session.callId(), CallEnded.Disposition.ANSWERED,
                    "IVR " + row.name() + ": " + trace.end() + (trace.endNode() == null ? "" : " at " + trace.endNode()), Instant.now()));
        }
        try {
            store.saveRun(session.callId(), row.id(), row.version(), row.tenantId(), session.caller(), started, Instant.now(), trace);
        } catch (RuntimeException e) {
            log.warn("The trace of IVR call {} was not stored: {}", session.callId(), e.toString());
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    // ---------------------------------------------------------------- numbers and routes

    @Override
    public Optional<Destination.MediaService> lookup(long tenantId, String number) {
        Long id = numbers.get(new NumberKey(tenantId, number));
        return id == null ? Optional.empty()
                : Optional.of(new Destination.MediaService(Destination.MediaService.Kind.IVR, Long.toString(id)));
    }

    /** A route to an IVR names the scenario by id, and the scenario must exist. */
    @Override
    public Optional<String> refuse(Destination.MediaService.Kind kind, String name) {
        if (kind != Destination.MediaService.Kind.IVR) {
            return Optional.empty();
        }
        try {
            if (store.find(Long.parseLong(name.strip())) != null) {
                return Optional.empty();
            }
        } catch (NumberFormatException e) {
            return Optional.of("an IVR route names the scenario by its id, not '" + name + "'");
        }
        return Optional.of("IVR scenario " + name + " does not exist");
    }

    /** The media server's call control, looked up when first used (it starts after this bean is made). */
    private record LazyCalls(ObjectProvider<CallControl> calls) implements CallControl {
        @Override
        public void register(String kind, org.callibry.server.calls.CallApplication application) {
            calls.getObject().register(kind, application);
        }

        @Override
        public java.util.concurrent.CompletableFuture<CallSession> originate(Originate request) {
            CallControl c = calls.getIfAvailable();
            return c == null ? java.util.concurrent.CompletableFuture.failedFuture(new IllegalStateException("no media server"))
                    : c.originate(request);
        }
    }

    /** The ACD's queues, when the ACD runs. */
    private record LazyQueues(ObjectProvider<QueueDirectory> queues) implements QueueDirectory {
        @Override
        public Map<Long, Info> queues(java.util.Collection<Long> queueIds) {
            QueueDirectory q = queues.getIfAvailable();
            return q == null ? Map.of() : q.queues(queueIds);
        }

        @Override
        public Map<Long, Info> queuesOf(Long tenantId) {
            QueueDirectory q = queues.getIfAvailable();
            return q == null ? Map.of() : q.queuesOf(tenantId);
        }

        @Override
        public Optional<String> number(long queueId) {
            QueueDirectory q = queues.getIfAvailable();
            return q == null ? Optional.empty() : q.number(queueId);
        }
    }

    /** The ACD's way in, when the ACD runs. */
    private record LazyEntrance(ObjectProvider<QueueEntrance> entrance) implements QueueEntrance {
        @Override
        public Optional<String> enter(CallSession session, long queueId) {
            QueueEntrance e = entrance.getIfAvailable();
            return e == null ? Optional.of("the queues are not running") : e.enter(session, queueId);
        }
    }
}

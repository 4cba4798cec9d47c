package org.callibry.server.dialer.internal;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.callibry.server.acd.QueueLive;
import org.callibry.server.api.PushNotification;
import org.callibry.server.calls.CallApplication;
import org.callibry.server.calls.CallControl;
import org.callibry.server.calls.CallFailedException;
import org.callibry.server.calls.CallSession;
import org.callibry.server.directory.AudioPrompts;
import org.callibry.server.directory.TenantZones;
import org.callibry.shared.api.dto.Campaigns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The dialer of this node: every {@code RUNNING} campaign in memory, one dispatch thread that places
 * calls, and the attempts in the air. Each round (every {@value #ROUND_MILLIS} ms, or at once after a
 * call ends) it skips everything while the load average is above the threshold, then serves the
 * campaigns in turn (a fair share of the node's free channels and calls per second each), within each
 * campaign's schedule, concurrency and calls per second, and for predictive campaigns the lines the
 * {@link Pacing} asks for. A number is claimed ({@code DIALING}, attempt written) before its call is
 * placed, and its result written when the call ends; at start the attempts a crash left open count as
 * {@code INTERRUPTED} and follow the retry policy, so nobody is called twice for one attempt.
 */
@Component
class Dialer implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(Dialer.class);
    static final long ROUND_MILLIS = 50;
    /** A number whose call was abandoned is not called again (by any campaign of the tenant) for this long. */
    static final Duration ABANDON_QUIET = Duration.ofHours(72);
    /** Abandoned calls tried again (each 72 h later) at most this often. */
    static final int ABANDON_RETRIES = 2;
    static final String CAMPAIGN_HEADER = "X-Callibry-Campaign";

    private final CampaignStore store;
    private final DialerClock clock;
    private final SystemLoad load;
    private final ObjectProvider<CallControl> calls;
    private final ObjectProvider<QueueLive> queues;
    private final ObjectProvider<org.callibry.server.directory.Holidays> holidays;
    private final AudioPrompts audio;
    private final TenantZones zones;
    private final ApplicationEventPublisher events;
    private final int maxChannels;
    private final int maxCallsPerSecond;
    private final double maxLoad;
    private final io.micrometer.core.instrument.MeterRegistry meters;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final Map<Long, Run> runs = new LinkedHashMap<>();
    private final Set<Attempt> inFlight = ConcurrentHashMap.newKeySet();
    /** Campaigns that left the running set (paused, stopped, finished): one more push each, outside the lock. */
    private final List<Run> lastPush = new ArrayList<>();
    private final ExecutorService work = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("dialer-", 0).factory());
    private double nodeTokens;
    private long nodeRefill = System.nanoTime();
    private int rotation;
    private volatile String blocked;
    private volatile boolean running;
    private volatile boolean stopping;
    private Thread loop;

    Dialer(CampaignStore store, DialerClock clock, SystemLoad load, ObjectProvider<CallControl> calls,
           ObjectProvider<QueueLive> queues, ObjectProvider<org.callibry.server.directory.Holidays> holidays, AudioPrompts audio, TenantZones zones,
           ApplicationEventPublisher events, io.micrometer.core.instrument.MeterRegistry meters,
           @Value("${callibry.dialer.max-channels:200}") int maxChannels,
           @Value("${callibry.dialer.max-calls-per-second:50}") int maxCallsPerSecond,
           @Value("${callibry.dialer.max-load:0}") double maxLoad) {
        this.store = store;
        this.clock = clock;
        this.load = load;
        this.calls = calls;
        this.queues = queues;
        this.holidays = holidays;
        this.audio = audio;
        this.zones = zones;
        this.events = events;
        this.maxChannels = maxChannels;
        this.maxCallsPerSecond = maxCallsPerSecond;
        this.maxLoad = maxLoad > 0 ? maxLoad : 2.0 * Runtime.getRuntime().availableProcessors();
        this.meters = meters;
        io.micrometer.core.instrument.Gauge.builder("callibry.dialer.calls", inFlight, Set::size)
                .description("Campaign calls in the air on this node").register(meters);
        io.micrometer.core.instrument.Gauge.builder("callibry.dialer.campaigns", this, d -> d.runs.size())
                .description("Campaigns running on this node").register(meters);
        io.micrometer.core.instrument.Gauge.builder("callibry.dialer.load.paused", this, d -> d.blocked == null ? 0 : 1)
                .description("1 while dialling is paused by the load average").register(meters);
    }

    /** A campaign as the dialer runs it. */
    final class Run {
        volatile Campaigns.Campaign config;
        CallWindow window;
        double tokens;
        long refill = System.nanoTime();
        int inFlight;
        int ringing;
        long idleUntil;
        Pacing pacing;
        Instant nextAdjust;
        int freeAgents;
        volatile String dialling;
        volatile boolean dirty = true;
        long pushedAt;
        final Map<LocalDate, Boolean> holidayCache = new HashMap<>();

        Run(Campaigns.Campaign c) {
            configure(c);
        }

        void configure(Campaigns.Campaign c) {
            config = c;
            ZoneId zone = zone(c);
            Set<DayOfWeek> days = new HashSet<>();
            c.schedule().days().forEach(d -> days.add(DayOfWeek.of(d)));
            boolean obey = Boolean.TRUE.equals(c.schedule().holidays());
            holidayCache.clear();
            window = new CallWindow(days, time(c.schedule().timeFrom()), time(c.schedule().timeTo()), zone,
                    d -> obey && holidayCache.computeIfAbsent(d, x -> holiday(c.tenantId(), x)));
            if (c.predictive() && c.onAnswer() == Campaigns.OnAnswer.QUEUE) {
                if (pacing == null) {
                    pacing = new Pacing(c.maxAbandonPercent(), c.pacing() == null ? 1.0 : c.pacing().dialLevel(), clock.now());
                    pacing.restore(store.answersByDay(c.id(), clock.now().minus(Duration.ofDays(Pacing.WINDOW_DAYS))));
                    nextAdjust = clock.now().plusSeconds(Pacing.ADJUST_SECONDS);
                }
            } else {
                pacing = null;
            }
            dirty = true;
            idleUntil = 0;
        }
    }

    // ================================================================== lifecycle

    @Override
    public void start() {
        stopping = false;
        for (CampaignStore.Open o : store.open()) {
            Campaigns.Campaign c = store.campaign(o.campaignId());
            Instant now = clock.now();
            int talk = o.answeredAt() == null ? 0 : (int) Math.max(0, Duration.between(o.answeredAt(), now).toSeconds());
            store.finish(o.campaignId(), o.numberId(), o.attemptId(), Campaigns.Result.INTERRUPTED, 0, now, 0,
                    counts -> next(c, Campaigns.Result.INTERRUPTED, counts, now));
            log.info("Campaign {}: an attempt cut by the last stop counts as INTERRUPTED (answered: {})", o.campaignId(),
                    o.answeredAt() != null);
            if (talk > 0) {
                log.debug("its talk time is unknown (the server stopped {} s after the answer at most)", talk);
            }
        }
        lock.lock();
        try {
            runs.clear();
            for (Campaigns.Campaign c : store.campaigns(null, Campaigns.Status.RUNNING)) {
                runs.put(c.id(), new Run(c));
            }
        } finally {
            lock.unlock();
        }
        running = true;
        loop = Thread.ofPlatform().name("dialer").daemon().start(this::loop);
        log.info("Dialer started: {} running campaigns, at most {} channels and {} calls/s, paused above load {}",
                runs.size(), maxChannels, maxCallsPerSecond, maxLoad);
    }

    /**
     * Stops dialling; calls in the air are hung up or cancelled and recorded as {@code INTERRUPTED}
     * (they follow the retry policy when the server is back).
     */
    @Override
    public void stop() {
        stopping = true;
        running = false;
        Thread t = loop;
        if (t != null) {
            t.interrupt();
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<Attempt> cut = new ArrayList<>(inFlight);
        cut.forEach(Attempt::interrupt);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (!inFlight.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (Attempt a : new ArrayList<>(inFlight)) {
            a.record(Campaigns.Result.INTERRUPTED, 0); // its call never reported back: recorded here, once
        }
        inFlight.clear();
        lock.lock();
        try {
            runs.clear();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** After the media server and the queues (it hands calls to them), stopped before them. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 900;
    }

    // ================================================================== control (from the API)

    /** The campaign's status changed (start, pause, resume, stop) or its settings: the run follows. */
    void changed(Campaigns.Campaign c) {
        lock.lock();
        try {
            Run r = runs.get(c.id());
            if (c.status() == Campaigns.Status.RUNNING) {
                if (r == null) {
                    runs.put(c.id(), new Run(c));
                } else {
                    r.configure(c);
                }
            } else if (r != null) {
                r.configure(c);
                if (r.inFlight == 0) {
                    runs.remove(c.id());
                    lastPush.add(r);
                }
            }
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void removed(long campaignId) {
        lock.lock();
        try {
            runs.remove(campaignId);
        } finally {
            lock.unlock();
        }
        for (Attempt a : inFlight) {
            if (a.run.config.id() == campaignId) {
                a.interrupt();
            }
        }
    }

    /** New numbers (an upload): look for due numbers at once. */
    void numbersAdded(long campaignId) {
        lock.lock();
        try {
            Run r = runs.get(campaignId);
            if (r != null) {
                r.idleUntil = 0;
                r.dirty = true;
            }
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** What {@code campaign.get} adds to the stored campaign: calls in the air, why it waits, the pacing. */
    Campaigns.Campaign live(Campaigns.Campaign stored) {
        int flying;
        Campaigns.Pacing pacing = null;
        String dialling;
        lock.lock();
        try {
            Run r = runs.get(stored.id());
            flying = r == null ? 0 : r.inFlight;
            if (r != null && r.pacing != null) {
                pacing = r.pacing.view(clock.now(), r.freeAgents);
            }
            dialling = r == null || stored.status() != Campaigns.Status.RUNNING ? null : blocked != null ? blocked : r.dialling;
        } finally {
            lock.unlock();
        }
        if (pacing == null && stored.predictive()) {
            pacing = storedPacing(stored);
        }
        Campaigns.Progress p = stored.progress();
        Campaigns.Progress progress = new Campaigns.Progress(p.numbers(), p.dialled(), p.answered(), p.busy(), p.noAnswer(),
                p.failed(), p.abandoned(), p.interrupted(), p.dnc(), p.remaining(), flying);
        return new Campaigns.Campaign(stored.id(), stored.tenantId(), stored.name(), stored.status(), stored.onAnswer(),
                stored.audioFileIds(), stored.playTimes(), stored.ivrId(), stored.queueId(), stored.callerId(),
                stored.maxConcurrent(), stored.callsPerSecond(), stored.ringTimeoutSeconds(), stored.retry(), stored.schedule(),
                stored.predictive(), stored.maxAbandonPercent(), stored.abandonAudioId(), progress, pacing, dialling,
                stored.createdAt(), stored.updatedAt());
    }

    /** A predictive campaign not running: its kept level and its 30-day figures from the attempts. */
    private Campaigns.Pacing storedPacing(Campaigns.Campaign c) {
        long[] sum = new long[2];
        store.answersByDay(c.id(), clock.now().minus(Duration.ofDays(Pacing.WINDOW_DAYS - 1)).truncatedTo(java.time.temporal.ChronoUnit.DAYS))
                .values().forEach(d -> {
                    sum[0] += d[0];
                    sum[1] += d[1];
                });
        double level = c.pacing() == null ? 1.0 : c.pacing().dialLevel();
        return new Campaigns.Pacing(level, Math.round(Pacing.percent(sum[1], sum[0]) * 100) / 100.0, c.maxAbandonPercent(), sum[0],
                sum[1], 0, 0, 0, "not running", null);
    }

    boolean hasApplication(String kind) {
        CallControl c = calls.getIfAvailable();
        return c != null && c.application(kind).isPresent();
    }

    // ================================================================== dispatch

    private void loop() {
        while (running) {
            try {
                round();
            } catch (RuntimeException e) {
                log.warn("Dialer round failed", e);
            }
            lock.lock();
            try {
                wake.await(ROUND_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
        }
    }

    /** One round: load check, then each running campaign's share of channels and calls per second. */
    void round() {
        Instant now = clock.now();
        double l = load.current();
        List<Run> order;
        lock.lock();
        try {
            if (l > maxLoad) {
                String why = String.format(java.util.Locale.ROOT, "paused: load average %.2f is above %.2f", l, maxLoad);
                if (!why.equals(blocked) && blocked == null && !runs.isEmpty()) {
                    log.info("Dialer {}", why);
                    runs.values().forEach(r -> r.dirty = true);
                }
                blocked = why;
                order = null;
            } else {
                if (blocked != null) {
                    if (!runs.isEmpty()) {
                        log.info("Dialer resumed: load average {} is at or below {}", l, maxLoad);
                    }
                    blocked = null;
                    runs.values().forEach(r -> r.dirty = true);
                }
                long t = System.nanoTime();
                nodeTokens = Math.min(maxCallsPerSecond, nodeTokens + (t - nodeRefill) / 1e9 * maxCallsPerSecond);
                nodeRefill = t;
                order = new ArrayList<>(runs.values());
            }
        } finally {
            lock.unlock();
        }
        if (order != null && !order.isEmpty()) {
            int n = order.size();
            int first = Math.floorMod(rotation++, n);
            for (int i = 0; i < n; i++) {
                serve(order.get((first + i) % n), now, n - i);
            }
        }
        pushAll();
    }

    /** Places the calls one campaign may place now; {@code sharing}: campaigns still to serve this round, itself included. */
    private void serve(Run r, Instant now, int sharing) {
        int allowed;
        lock.lock();
        try {
            Campaigns.Campaign c = r.config;
            if (c.status() != Campaigns.Status.RUNNING || stopping) {
                return;
            }
            if (!r.window.open(now)) {
                Instant opens = r.window.nextOpening(now);
                setDialling(r, "outside its schedule" + (opens == null ? "" : "; opens " + opens));
                return;
            }
            long t = System.nanoTime();
            r.tokens = Math.min(Math.max(1, c.callsPerSecond()), r.tokens + (t - r.refill) / 1e9 * c.callsPerSecond());
            r.refill = t;
            int channels = maxChannels - inFlightCount();
            int share = (int) Math.ceil(Math.min(channels, nodeTokens) / sharing);
            allowed = Math.min(Math.min(c.maxConcurrent() - r.inFlight, share), (int) Math.floor(r.tokens));
            if (r.pacing != null) {
                allowed = Math.min(allowed, predictiveLines(r, c, now));
            }
            if (channels <= 0) {
                setDialling(r, "waiting: the node's " + maxChannels + " channels are in use");
                return;
            }
            if (allowed <= 0 || t < r.idleUntil) {
                return;
            }
        } finally {
            lock.unlock();
        }
        Campaigns.Campaign c = r.config;
        List<CampaignStore.Claimed> claimed = store.claim(c.id(), c.tenantId(), allowed, now);
        List<Attempt> placed = new ArrayList<>();
        lock.lock();
        try {
            r.tokens -= claimed.size();
            nodeTokens -= claimed.size();
            if (claimed.size() < allowed) {
                r.idleUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(1); // nothing more due: look again in a second
            }
            if (claimed.isEmpty()) {
                if (r.inFlight == 0 && !store.unfinished(c.id())) {
                    finished(r);
                } else if (r.inFlight == 0) {
                    setDialling(r, "waiting for retries");
                }
                return;
            }
            setDialling(r, null);
            for (CampaignStore.Claimed k : claimed) {
                Attempt a = new Attempt(r, k, now);
                placed.add(a);
                r.inFlight++;
                r.ringing++;
                r.dirty = true;
                inFlight.add(a);
            }
        } finally {
            lock.unlock();
        }
        placed.forEach(Attempt::place);
    }

    private int inFlightCount() {
        return inFlight.size();
    }

    private void setDialling(Run r, String why) {
        if (!java.util.Objects.equals(r.dialling, why)) {
            r.dialling = why;
            r.dirty = true;
        }
    }

    /** Predictive lines now, from the queue's agents; every 15 s the pacing adapts (and the level is kept). */
    private int predictiveLines(Run r, Campaigns.Campaign c, Instant now) {
        QueueLive live = queues.getIfAvailable();
        Optional<QueueLive.Snapshot> q = live == null ? Optional.empty()
                : live.snapshot(c.tenantId()).stream().filter(s -> c.queueId() != null && s.queueId() == c.queueId()).findFirst();
        if (q.isEmpty()) {
            setDialling(r, "waiting: queue " + c.queueId() + " is not running");
            return 0;
        }
        Map<String, Integer> agents = q.get().agents();
        int free = agents.getOrDefault("FREE", 0);
        int busy = agents.getOrDefault("BUSY", 0) + agents.getOrDefault("RINGING", 0) + agents.getOrDefault("WRAP_UP", 0);
        r.freeAgents = free;
        r.pacing.sample(free, q.get().waiting());
        if (!now.isBefore(r.nextAdjust)) {
            r.nextAdjust = now.plusSeconds(Pacing.ADJUST_SECONDS);
            if (r.pacing.adjust(now)) {
                double level = r.pacing.level();
                log.info("Campaign {} ({}): dial level {}", c.id(), c.name(), r.pacing.reason());
                work.execute(() -> store.dialLevel(c.id(), level));
            }
            r.dirty = true;
        }
        int lines = r.pacing.lines(free, busy, q.get().waiting(), r.ringing);
        if (lines <= 0 && free == 0) {
            setDialling(r, "waiting for a free agent");
        }
        return lines;
    }

    private void finished(Run r) {
        Campaigns.Campaign c = r.config;
        store.status(c.id(), Campaigns.Status.FINISHED);
        runs.remove(c.id());
        log.info("Campaign {} ({}) finished", c.id(), c.name());
        r.config = store.campaign(c.id());
        lastPush.add(r);
    }

    /** Pushes {@code campaign.progress} of the campaigns that changed, at most once a second each (outside the lock). */
    private void pushAll() {
        long t = System.nanoTime();
        List<Run> due = new ArrayList<>();
        lock.lock();
        try {
            for (Run r : runs.values()) {
                if (r.dirty && t - r.pushedAt >= TimeUnit.SECONDS.toNanos(1)) {
                    r.dirty = false;
                    r.pushedAt = t;
                    due.add(r);
                }
            }
            due.addAll(lastPush);
            lastPush.clear();
        } finally {
            lock.unlock();
        }
        due.forEach(this::push);
    }

    private void push(Run r) {
        Campaigns.Campaign stored = store.campaign(r.config.id());
        if (stored == null) {
            return;
        }
        r.dirty = false;
        r.pushedAt = System.nanoTime();
        Campaigns.Campaign c = live(stored);
        events.publishEvent(new PushNotification("campaign.progress",
                new Campaigns.Live(c.id(), c.tenantId(), c.status(), c.progress(), c.pacing(), c.dialling()), c.tenantId()));
    }

    // ================================================================== retries

    /** When a number is tried again after {@code result} (null: it is done). */
    static Instant next(Campaigns.Campaign c, Campaigns.Result result, CampaignStore.Counts counts, Instant now) {
        if (c == null) {
            return null;
        }
        Campaigns.RetryPolicy p = c.retry();
        return switch (result) {
            case ANSWERED, DNC -> null;
            case BUSY -> counts.busy() <= p.busy().retries() ? now.plus(Duration.ofMinutes(p.busy().minutes())) : null;
            case NO_ANSWER -> counts.noAnswer() <= p.noAnswer().retries() ? now.plus(Duration.ofMinutes(p.noAnswer().minutes())) : null;
            case FAILED, INTERRUPTED -> counts.failed() <= p.failed().retries()
                    ? now.plus(Duration.ofMinutes(p.failed().minutes())) : null;
            case ABANDONED -> counts.abandoned() <= ABANDON_RETRIES ? now.plus(ABANDON_QUIET) : null;
        };
    }

    // ================================================================== attempts

    /** One call of a campaign: placed, answered (then served), ended, recorded once. */
    final class Attempt {
        final Run run;
        final CampaignStore.Claimed number;
        final Instant startedAt;
        volatile CompletableFuture<CallSession> call;
        volatile CallSession session;
        volatile Instant answeredAt;
        volatile CampaignLeg leg;
        volatile boolean abandoned;
        volatile Instant bridgedAt;
        private volatile boolean interrupted;
        private volatile boolean recorded;
        private volatile DialerClock.Timer noAgent;

        Attempt(Run run, CampaignStore.Claimed number, Instant startedAt) {
            this.run = run;
            this.number = number;
            this.startedAt = startedAt;
        }

        synchronized void place() {
            if (call != null) {
                return;
            }
            Campaigns.Campaign c = run.config;
            CallControl control = calls.getIfAvailable();
            if (control == null) {
                call = CompletableFuture.failedFuture(new CallFailedException(0, CallFailedException.Result.FAILED, "no media server"));
            } else {
                call = control.originate(new CallControl.Originate(number.number(), c.callerId(), c.tenantId(),
                        Duration.ofSeconds(c.ringTimeoutSeconds()), number.callId(), Map.of(CAMPAIGN_HEADER, c.name())));
            }
            call.whenCompleteAsync(this::rang, work);
        }

        /** The call stopped ringing: answered, or failed (busy, no answer, ...). */
        private void rang(CallSession s, Throwable err) {
            Instant now = clock.now();
            double ring = Duration.between(startedAt, now).toMillis() / 1000.0;
            lock.lock();
            try {
                run.ringing = Math.max(0, run.ringing - 1);
                if (run.pacing != null && !interrupted) {
                    run.pacing.rang(err == null, ring, now);
                }
            } finally {
                lock.unlock();
            }
            if (err != null) {
                Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null ? err.getCause() : err;
                Campaigns.Result result;
                int code = 0;
                if (interrupted || stopping) {
                    result = Campaigns.Result.INTERRUPTED;
                } else if (cause instanceof CallFailedException f) {
                    code = f.sipCode();
                    result = switch (f.result()) {
                        case BUSY -> Campaigns.Result.BUSY;
                        case NO_ANSWER -> Campaigns.Result.NO_ANSWER;
                        case FAILED -> Campaigns.Result.FAILED;
                    };
                } else {
                    result = cause instanceof java.util.concurrent.CancellationException ? Campaigns.Result.INTERRUPTED
                            : Campaigns.Result.FAILED;
                }
                record(result, code);
                return;
            }
            session = s;
            answeredAt = now;
            store.answered(number.attemptId(), now);
            s.addListener(new CallSession.Listener() {
                @Override
                public void ended(CallSession x, String reason) {
                    work.execute(() -> hungUp(reason));
                }
            });
            if (interrupted || stopping) {
                s.hangup("campaign stopped");
                return;
            }
            try {
                serve(s);
            } catch (Exception e) {
                log.warn("Campaign {}: serving the answered call to {} failed: {}", run.config.id(), number.number(), e.toString());
                s.hangup("campaign error");
            }
        }

        /** What an answered call gets: the audio, the scenario, or the queue (with the 2-second rule when predictive). */
        private void serve(CallSession s) throws Exception {
            Campaigns.Campaign c = run.config;
            switch (c.onAnswer()) {
                case PLAY -> {
                    List<short[]> prompts = new ArrayList<>();
                    List<short[]> once = new ArrayList<>();
                    for (Long id : c.audioFileIds()) {
                        audio.playback(c.tenantId(), id).ifPresent(once::add);
                    }
                    for (int i = 0; i < c.playTimes(); i++) {
                        prompts.addAll(once);
                    }
                    if (prompts.isEmpty()) {
                        s.hangup("no audio to play");
                        return;
                    }
                    s.addListener(new CallSession.Listener() {
                        @Override
                        public void playbackFinished(CallSession x) {
                            x.hangup("message played");
                        }
                    });
                    s.play(prompts, false, false);
                }
                case IVR -> handOver(s, CallControl.IVR, String.valueOf(c.ivrId()));
                case QUEUE -> {
                    handOver(s, CallControl.QUEUE, String.valueOf(c.queueId()));
                    if (c.predictive()) {
                        noAgent = clock.schedule(Pacing.NO_AGENT_LIMIT, this::noAgentInTime);
                    }
                }
            }
        }

        private void handOver(CallSession s, String kind, String service) throws Exception {
            CallControl control = calls.getIfAvailable();
            Optional<CallApplication> app = control == null ? Optional.empty() : control.application(kind);
            if (app.isEmpty()) {
                log.warn("Campaign {}: no {} application on this node; the answered call to {} is hung up", run.config.id(), kind,
                        number.number());
                s.hangup("no " + kind + " application");
                return;
            }
            Map<String, String> vars = new LinkedHashMap<>(number.variables());
            vars.put("number", number.number());
            vars.put("name", number.name());
            vars.put("campaignId", Long.toString(run.config.id()));
            vars.put("campaign", run.config.name());
            leg = new CampaignLeg(s, service, number.callId(), vars, () -> bridgedAt = clock.now());
            app.get().start(leg);
        }

        /** Two seconds after the answer and no agent: abandoned; the callee hears the abandon message. */
        private void noAgentInTime() {
            CampaignLeg l = leg;
            CallSession s = session;
            if (l == null || s == null || !s.active() || !l.abandonUnlessBridged("no agent within 2 s")) {
                return;
            }
            abandoned = true;
            lock.lock();
            try {
                if (run.pacing != null) {
                    run.pacing.abandoned(clock.now());
                }
                run.dirty = true;
            } finally {
                lock.unlock();
            }
            Campaigns.Campaign c = run.config;
            Optional<short[]> message = c.abandonAudioId() == null ? Optional.empty() : audio.playback(c.tenantId(), c.abandonAudioId());
            if (message.isEmpty()) {
                s.hangup("no agent");
                return;
            }
            s.addListener(new CallSession.Listener() {
                @Override
                public void playbackFinished(CallSession x) {
                    x.hangup("no agent; message played");
                }
            });
            s.play(List.of(message.get()), false, false);
        }

        /** The answered call ended. */
        private void hungUp(String reason) {
            DialerClock.Timer t = noAgent;
            if (t != null) {
                t.cancel();
            }
            Instant now = clock.now();
            int talk = answeredAt == null ? 0 : (int) Math.max(0, Duration.between(answeredAt, now).toSeconds());
            Instant b = bridgedAt;
            if (b != null) {
                lock.lock();
                try {
                    if (run.pacing != null) {
                        run.pacing.handled(Duration.between(b, now).toMillis() / 1000.0);
                    }
                } finally {
                    lock.unlock();
                }
            }
            record(abandoned ? Campaigns.Result.ABANDONED : interrupted || stopping ? Campaigns.Result.INTERRUPTED
                    : Campaigns.Result.ANSWERED, 200, talk);
        }

        void record(Campaigns.Result result, int code) {
            record(result, code, 0);
        }

        /** Writes the result once, frees the channel, and wakes the dispatcher. */
        void record(Campaigns.Result result, int code, int talkSeconds) {
            synchronized (this) {
                if (recorded) {
                    return;
                }
                recorded = true;
            }
            Instant now = clock.now();
            Campaigns.Campaign c = run.config;
            try {
                store.finish(c.id(), number.numberId(), number.attemptId(), result, code, now, talkSeconds,
                        counts -> next(c, result, counts, now));
            } catch (RuntimeException e) {
                log.warn("Campaign {}: cannot record the attempt to {} ({}): {}", c.id(), number.number(), result, e.toString());
            }
            inFlight.remove(this);
            meters.counter("callibry.dialer.attempts", "result", result.name()).increment();
            lock.lock();
            try {
                run.inFlight = Math.max(0, run.inFlight - 1);
                run.dirty = true;
                if (run.config.status() != Campaigns.Status.RUNNING && run.inFlight == 0 && runs.get(c.id()) == run) {
                    runs.remove(c.id());
                    lastPush.add(run);
                }
                wake.signalAll();
            } finally {
                lock.unlock();
            }
        }

        /** The server or the campaign stops: the call is cancelled or hung up, and recorded as {@code INTERRUPTED}. */
        void interrupt() {
            interrupted = true;
            CompletableFuture<CallSession> f = call;
            if (f != null && !f.isDone()) {
                f.cancel(true);
            }
            CallSession s = session;
            if (s != null) {
                s.hangup("campaign stopped");
            }
        }
    }

    // ================================================================== helpers

    private ZoneId zone(Campaigns.Campaign c) {
        String z = c.schedule().timeZone();
        if (z != null && !z.isBlank()) {
            try {
                return ZoneId.of(z.strip());
            } catch (RuntimeException e) {
                log.warn("Campaign {}: unknown time zone {}, using the tenant's", c.id(), z);
            }
        }
        return zones.zone(c.tenantId());
    }

    private boolean holiday(long tenantId, LocalDate date) {
        org.callibry.server.directory.Holidays h = holidays.getIfAvailable();
        return h != null && h.holiday(tenantId, date).isPresent();
    }

    private static LocalTime time(String hhmm) {
        return hhmm == null || hhmm.isBlank() ? null : LocalTime.parse(hhmm.strip());
    }

    DialerClock clock() {
        return clock;
    }
}

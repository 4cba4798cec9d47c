package org.callibry.server.dialer.internal;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.callibry.server.api.PushNotification;
import org.callibry.server.calls.CallControl;
import org.callibry.server.directory.AudioPrompts;
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

    private final CampaignStore store;
    private final DialerClock clock;
    private final SystemLoad load;
    private final ObjectProvider<CallControl> calls;
    private final CampaignSettings settings;
    private final AudioPrompts audio;
    private final ApplicationEventPublisher events;
    private volatile int maxChannels;
    private volatile int maxCallsPerSecond;
    private final double maxLoad;
    private final MeterRegistry meters;
    private final CampaignCall.Services services;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final Map<Long, CampaignRun> runs = new LinkedHashMap<>();
    private final Set<CampaignCall> inFlight = ConcurrentHashMap.newKeySet();
    /** Campaigns that left the running set (paused, stopped, finished): one more push each, outside the lock. */
    private final List<CampaignRun> lastPush = new ArrayList<>();
    private final ExecutorService work = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("dialer-", 0).factory());
    private double nodeTokens;
    private long nodeRefill = System.nanoTime();
    private int rotation;
    private volatile String blocked;
    private volatile boolean running;
    private volatile boolean stopping;
    private Thread loop;

    Dialer(CampaignStore store, CampaignSettings settings, DialerClock clock, SystemLoad load, ObjectProvider<CallControl> calls,
           AudioPrompts audio, ApplicationEventPublisher events, MeterRegistry meters,
           @Value("${callibry.dialer.max-channels:200}") int maxChannels,
           @Value("${callibry.dialer.max-calls-per-second:50}") int maxCallsPerSecond,
           @Value("${callibry.dialer.max-load:0}") double maxLoad) {
        this.store = store;
        this.clock = clock;
        this.load = load;
        this.calls = calls;
        this.settings = settings;
        this.audio = audio;
        this.events = events;
        this.maxChannels = maxChannels;
        this.maxCallsPerSecond = maxCallsPerSecond;
        this.maxLoad = maxLoad > 0 ? maxLoad : 2.0 * Runtime.getRuntime().availableProcessors();
        this.meters = meters;
        this.services = new CampaignCall.Services(store, clock, audio, calls, work);
        Gauge.builder("callibry.dialer.calls", inFlight, Set::size)
                .description("Campaign calls in the air on this node").register(meters);
        Gauge.builder("callibry.dialer.campaigns", this, d -> d.runs.size())
                .description("Campaigns running on this node").register(meters);
        Gauge.builder("callibry.dialer.load.paused", this, d -> d.blocked == null ? 0 : 1)
                .description("1 while dialling is paused by the load average").register(meters);
    }

    // ================================================================== lifecycle

    @Override
    public void start() {
        stopping = false;
        for (CampaignStore.Open o : store.open()) {
            // cut by a crash: INTERRUPTED, and the retry policy says when the number is tried again
            Campaigns.Campaign c = store.campaign(o.campaignId());
            Instant now = clock.now();
            store.finish(o.campaignId(), o.numberId(), o.attemptId(), Campaigns.Result.INTERRUPTED, 0, now, 0,
                    counts -> Retries.next(c, Campaigns.Result.INTERRUPTED, counts, now));
            log.info("Campaign {}: an attempt cut by the last stop counts as INTERRUPTED", o.campaignId());
        }
        lock.lock();
        try {
            runs.clear();
            for (Campaigns.Campaign c : store.campaigns(null, Campaigns.Status.RUNNING)) {
                runs.put(c.id(), settings.configure(new CampaignRun(), c));
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
        List<CampaignCall> cut = new ArrayList<>(inFlight);
        cut.forEach(CampaignCall::interrupt);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (!inFlight.isEmpty() && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000); // their results are being written
        }
        for (CampaignCall a : new ArrayList<>(inFlight)) {
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
            CampaignRun r = runs.get(c.id());
            if (c.status() == Campaigns.Status.RUNNING) {
                if (r == null) {
                    runs.put(c.id(), settings.configure(new CampaignRun(), c));
                } else {
                    settings.configure(r, c);
                }
            } else if (r != null) {
                settings.configure(r, c);
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
        for (CampaignCall a : inFlight) {
            if (a.run.id() == campaignId) {
                a.interrupt();
            }
        }
    }

    /** Waits (at most {@code max}) until no call of the campaign is in the air; true when none is. */
    boolean drained(long campaignId, java.time.Duration max) {
        long until = System.nanoTime() + max.toNanos();
        while (inFlight.stream().anyMatch(a -> a.run.id() == campaignId)) {
            if (System.nanoTime() - until >= 0) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** New numbers (an upload): look for due numbers at once. */
    void numbersAdded(long campaignId) {
        lock.lock();
        try {
            CampaignRun r = runs.get(campaignId);
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
            CampaignRun r = runs.get(stored.id());
            flying = r == null ? 0 : r.inFlight;
            if (r != null && r.pacing != null) {
                pacing = r.pacing.view(clock.now(), r.freeAgents);
            }
            dialling = r == null || stored.status() != Campaigns.Status.RUNNING ? null : blocked != null ? blocked : r.dialling;
        } finally {
            lock.unlock();
        }
        if (pacing == null && stored.predictive()) {
            pacing = settings.storedPacing(stored);
        }
        return CampaignRun.view(stored, flying, pacing, dialling);
    }

    boolean hasApplication(String kind) {
        CallControl c = calls.getIfAvailable();
        return c != null && c.application(kind).isPresent();
    }

    // ================================================================== dispatch

    private void loop() {
        long quietUntil = 0;
        while (running) {
            long wait = ROUND_MILLIS;
            try {
                round();
            } catch (RuntimeException e) {
                // the database away, most likely: say so once in a while, and try again a second later
                if (System.nanoTime() - quietUntil > 0) {
                    log.warn("Dialer round failed (again in 1 s; this message at most every 30 s)", e);
                    quietUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                }
                wait = 1000;
            }
            lock.lock();
            try {
                wake.await(wait, TimeUnit.MILLISECONDS);
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
        List<CampaignRun> order;
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
    private void serve(CampaignRun r, Instant now, int sharing) {
        int allowed;
        boolean queueOpen = settings.queueOpen(r.config); // before the lock: it may read the holiday calendar
        lock.lock();
        try {
            Campaigns.Campaign c = r.config;
            if (c.status() != Campaigns.Status.RUNNING || stopping) {
                return;
            }
            if (!queueOpen) {
                // its queue is outside its hours: every answer would be abandoned
                r.dialling("waiting: queue " + c.queueId() + " is closed");
                return;
            }
            if (!r.window.open(now)) {
                Instant opens = r.window.nextOpening(now);
                r.dialling("outside its schedule" + (opens == null ? "" : "; opens " + opens));
                return;
            }
            long t = System.nanoTime();
            r.tokens = Math.min(Math.max(1, c.callsPerSecond()), r.tokens + (t - r.refill) / 1e9 * c.callsPerSecond());
            r.refill = t;
            int channels = maxChannels - inFlight.size();
            int share = (int) Math.ceil(Math.min(channels, nodeTokens) / sharing);
            allowed = Math.min(Math.min(c.maxConcurrent() - r.inFlight, share), (int) Math.floor(r.tokens));
            if (r.pacing != null) {
                allowed = Math.min(allowed, settings.predictiveLines(r, now));
            }
            if (channels <= 0) {
                r.dialling("waiting: the node's " + maxChannels + " channels are in use");
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
        List<CampaignCall> placed = new ArrayList<>();
        boolean release = false;
        lock.lock();
        try {
            if (r.config.status() != Campaigns.Status.RUNNING || stopping || runs.get(c.id()) != r) {
                // paused, stopped or deleted while the numbers were claimed: none of them is called
                release = true;
                return;
            }
            r.tokens -= claimed.size();
            nodeTokens -= claimed.size();
            if (claimed.size() < allowed) {
                r.idleUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(1); // nothing more due: look again in a second
            }
            if (claimed.isEmpty()) {
                if (r.inFlight == 0 && !store.unfinished(c.id())) {
                    finished(r);
                } else if (r.inFlight == 0) {
                    r.dialling("waiting for retries");
                }
                return;
            }
            r.dialling(null);
            for (CampaignStore.Claimed k : claimed) {
                CampaignCall a = new CampaignCall(this, services, r, k, now);
                placed.add(a);
                r.inFlight++;
                r.ringing++;
                r.dirty = true;
                inFlight.add(a);
            }
        } finally {
            lock.unlock();
            if (release) {
                try {
                    store.release(c.id(), claimed);
                } catch (RuntimeException e) {
                    log.warn("Claimed numbers of campaign {} not given back ({}); they count as interrupted at the next start",
                            c.id(), e.toString());
                }
            }
        }
        placed.forEach(CampaignCall::place);
    }

    private void finished(CampaignRun r) {
        Campaigns.Campaign c = r.config;
        if (!store.finishIfRunning(c.id())) {
            return; // paused, stopped or deleted meanwhile: that word stands
        }
        runs.remove(c.id());
        log.info("Campaign {} ({}) finished", c.id(), c.name());
        r.config = store.campaign(c.id());
        lastPush.add(r);
    }

    /** Pushes {@code campaign.progress} of the campaigns that changed, at most once a second each (outside the lock). */
    private void pushAll() {
        long t = System.nanoTime();
        List<CampaignRun> due = new ArrayList<>();
        lock.lock();
        try {
            for (CampaignRun r : runs.values()) {
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

    private void push(CampaignRun r) {
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

    // ================================================================== what calls report (CampaignCall)

    /** A call stopped ringing after {@code ring} seconds: answered or not (not counted for pacing when cut by a stop). */
    void rang(CampaignRun run, boolean answered, double ring, Instant at, boolean measured) {
        lock.lock();
        try {
            run.ringing = Math.max(0, run.ringing - 1);
            if (run.pacing != null && measured) {
                run.pacing.rang(answered, ring, at);
            }
        } finally {
            lock.unlock();
        }
    }

    /** An answered call of a predictive campaign found no agent within 2 s. */
    void abandoned(CampaignRun run, Instant at) {
        lock.lock();
        try {
            if (run.pacing != null) {
                run.pacing.abandoned(at);
            }
            run.dirty = true;
        } finally {
            lock.unlock();
        }
    }

    /** An agent finished a campaign call after {@code seconds} with it. */
    void handled(CampaignRun run, double seconds) {
        lock.lock();
        try {
            if (run.pacing != null) {
                run.pacing.handled(seconds);
            }
        } finally {
            lock.unlock();
        }
    }

    /** A call's result is written: its channel is free; a campaign no longer running leaves with its last call. */
    void recorded(CampaignCall call, Campaigns.Result result) {
        inFlight.remove(call);
        meters.counter("callibry.dialer.attempts", "result", result.name()).increment();
        CampaignRun run = call.run;
        lock.lock();
        try {
            run.inFlight = Math.max(0, run.inFlight - 1);
            run.dirty = true;
            if (run.config.status() != Campaigns.Status.RUNNING && run.inFlight == 0 && runs.get(run.id()) == run) {
                runs.remove(run.id());
                lastPush.add(run);
            }
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    boolean stopping() {
        return stopping;
    }

    /** Changes the node's limits while running (tests: several campaigns on a few channels). */
    void limits(int channels, int callsPerSecond) {
        maxChannels = channels;
        maxCallsPerSecond = callsPerSecond;
    }
}

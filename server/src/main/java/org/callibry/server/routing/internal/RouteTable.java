package org.callibry.server.routing.internal;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.callibry.server.routing.CallRouting;
import org.callibry.server.routing.RouteQuery;
import org.callibry.server.routing.RoutingDecision;
import org.callibry.shared.api.dto.Routes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * {@link CallRouting} over an immutable {@link RouteSnapshot} of the route table. The snapshot is
 * loaded at start-up and replaced as a whole after every change ({@link #reload}), so
 * {@link #decide} never waits for or reads the database.
 */
@Component
class RouteTable implements CallRouting, SmartInitializingSingleton {
    private static final Logger log = LoggerFactory.getLogger(RouteTable.class);

    private final RouteStore store;
    private final Timer decisions;
    private volatile RouteSnapshot snapshot = RouteSnapshot.empty();

    RouteTable(RouteStore store, MeterRegistry meters) {
        this.store = store;
        this.decisions = Timer.builder("callibry.routing.decisions").description("Routing decisions (CallRouting.decide)")
                .register(meters);
        Gauge.builder("callibry.routing.routes", this, t -> t.snapshot.size()).description("Routes in the table")
                .register(meters);
    }

    @Override
    public void afterSingletonsInstantiated() {
        reload();
    }

    @Override
    public RoutingDecision decide(RouteQuery query) {
        long start = System.nanoTime();
        try {
            return snapshot.decide(query);
        } finally {
            decisions.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    /** {@code route.test}: the decision with the reasons, on the same snapshot {@link #decide} uses. */
    Routes.TestResult explain(RouteQuery query) {
        return snapshot.explain(query);
    }

    /**
     * Reads the table and swaps in a new snapshot. Call it after a change has been committed;
     * serialised, so the snapshot of the last change made is the one that stays. Unchanged routes
     * keep their compiled masks.
     */
    synchronized void reload() {
        long start = System.nanoTime();
        Map<Long, CompiledRoute> previous = snapshot.byId();
        List<CompiledRoute> compiled = new ArrayList<>();
        for (Routes.Route r : store.all()) {
            CompiledRoute old = previous.get(r.id());
            if (old != null && old.route().equals(r)) {
                compiled.add(old);
            } else {
                CompiledRoute c = RouteCompiler.compileStored(r);
                if (c.broken() != null) {
                    log.error("Route {} '{}' is skipped: {}", r.id(), r.name(), c.broken());
                }
                compiled.add(c);
            }
        }
        snapshot = new RouteSnapshot(compiled);
        log.debug("Route table loaded: {} routes in {} ms", compiled.size(), (System.nanoTime() - start) / 1_000_000);
    }
}

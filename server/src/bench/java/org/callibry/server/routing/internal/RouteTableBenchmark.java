package org.callibry.server.routing.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.callibry.server.routing.RouteQuery;
import org.callibry.server.routing.RoutingDecision;
import org.callibry.shared.api.dto.Routes;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code CallRouting.decide} over a table of 10,000 routes, worst cases only: the call matches the
 * last route, or none. Tables:
 * <ul>
 *   <li>{@code prefixed}: an LCR-like table, B-number masks {@code ^8NNNNN(\d{5})$} with distinct
 *       five-digit codes, rewrite {@code +7$1}, an A-number mask, to gateways;</li>
 *   <li>{@code alternatives}: the same codes written {@code ^(\+7|8)NNNNN(\d{5})$}: indexed under both
 *       prefixes;</li>
 *   <li>{@code timed}: the prefixed table where every route also has days, hours and a time zone;</li>
 *   <li>{@code unindexed}: {@code ^\dNNNNN(\d{5})$}, no literal prefix: every route is a candidate,
 *       passed over by its required literal {@code NNNNN};</li>
 *   <li>{@code scan}: {@code ^\d{12}$}, {@code ^\d{13}$}, ... with nothing literal at all: every
 *       expression runs (the worst table there can be).</li>
 * </ul>
 * Run: {@code mvn -B -ntp -Pbench -pl server -am verify -DskipTests -Djmh.args=RouteTableBenchmark}
 * (see docs/performance.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RouteTableBenchmark {
    static final int ROUTES = 10_000;

    @Param({"prefixed", "alternatives", "timed", "unindexed", "scan"})
    public String table;

    @Param({"last", "none"})
    public String call;

    private RouteSnapshot snapshot;
    private RouteQuery query;

    @Setup
    public void setUp() {
        List<CompiledRoute> routes = new ArrayList<>(ROUTES);
        for (int i = 0; i < ROUTES; i++) {
            String code = Integer.toString(10_000 + i);
            String mask = switch (table) {
                case "alternatives" -> "^(?:\\+7|8)" + code + "(\\d{5})$";
                case "unindexed" -> "^\\d" + code + "(\\d{5})$";
                case "scan" -> i == ROUTES - 1 ? "^\\d{11}$" : "^\\d{" + (12 + i % 5) + "}$";
                default -> "^8" + code + "(\\d{5})$";
            };
            boolean timed = table.equals("timed");
            routes.add(RouteCompiler.compile(new Routes.Route(i + 1, "route " + i, "bench", (i + 1) * 10, true,
                    "^1\\d{3}$", "", mask, "", table.equals("scan") ? "" : "+7" + code + "$1", "", "",
                    Routes.DestinationType.GATEWAY, "gw" + (i % 10) + ".example.net:5060", false, true, null, false, null,
                    timed ? List.of(1, 2, 3, 4, 5) : List.of(), timed ? "08:00" : null, timed ? "20:00" : null,
                    timed ? "Europe/Moscow" : "UTC", null, null)));
        }
        snapshot = new RouteSnapshot(routes);
        String lastCode = Integer.toString(10_000 + ROUTES - 1);
        // "none": the last route's code with one digit too few, so its mask (and in "scan" every mask) is tried and fails
        String b = call.equals("last") ? "8" + lastCode + "12345" : "8" + lastCode + "1234";
        query = new RouteQuery("1001", "demo.callibry.test", "192.0.2.1", b, "demo.callibry.test",
                Instant.parse("2026-11-25T09:00:00Z"));
        RoutingDecision d = snapshot.decide(query);
        if (d.routable() != call.equals("last") || d.routable() && d.targets().getFirst().routeId() != ROUTES) {
            throw new IllegalStateException("the benchmark's call is not routed as intended: " + d);
        }
    }

    @Benchmark
    public RoutingDecision decide() {
        return snapshot.decide(query);
    }
}

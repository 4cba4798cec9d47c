package org.callibry.server.routing.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.callibry.shared.api.dto.Routes;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a change of the route table costs besides reading it: compiling 10,000 routes and building
 * the snapshot ({@code compileAndBuild}, as at start-up or after an import), or building it from
 * routes compiled before ({@code build}, as after an update of one route).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RouteSnapshotBuildBenchmark {
    private final List<Routes.Route> rows = new ArrayList<>();
    private List<CompiledRoute> compiled;

    @Setup
    public void setUp() {
        for (int i = 0; i < RouteTableBenchmark.ROUTES; i++) {
            String code = Integer.toString(10_000 + i);
            rows.add(new Routes.Route(i + 1, "route " + i, "bench", (i + 1) * 10, true, "^1\\d{3}$", "",
                    "^(?:\\+7|8)" + code + "(\\d{5})$", "", "+7" + code + "$1", "", "", Routes.DestinationType.GATEWAY,
                    "gw" + (i % 10) + ".example.net:5060", false, true, null, false, null, List.of(), null, null, "UTC",
                    null, null));
        }
        compiled = rows.stream().map(RouteCompiler::compile).toList();
    }

    @Benchmark
    public RouteSnapshot compileAndBuild() {
        return new RouteSnapshot(rows.stream().map(RouteCompiler::compile).toList());
    }

    @Benchmark
    public RouteSnapshot build() {
        return new RouteSnapshot(compiled);
    }
}

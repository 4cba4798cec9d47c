package org.callibry.server.routing.internal;

import java.util.List;
import org.callibry.shared.api.dto.Routes;
import org.callibry.shared.api.dto.Routes.DestinationType;

/** Routes for tests, field by field: {@code new RouteBuilder(1, "Long distance").b("^8(\\d{10})$").bRewrite("+7$1").build()}. */
final class RouteBuilder {
    private final long id;
    private final String name;
    private int priority;
    private boolean enabled = true;
    private String aNumber = "";
    private String aHost = "";
    private String bNumber = "";
    private String bHost = "";
    private String bRewrite = "";
    private String aRewriteMask = "";
    private String aRewrite = "";
    private DestinationType type = DestinationType.LOCAL;
    private String destination = "";
    private boolean continueOnFailure;
    private String callerId;
    private Integer maxDuration;
    private List<Integer> days = List.of();
    private String from;
    private String to;
    private String zone = "UTC";

    RouteBuilder(long id, String name) {
        this.id = id;
        this.name = name;
        this.priority = (int) id * 10;
    }

    RouteBuilder priority(int p) { priority = p; return this; }
    RouteBuilder disabled() { enabled = false; return this; }
    RouteBuilder a(String mask) { aNumber = mask; return this; }
    RouteBuilder aHost(String mask) { aHost = mask; return this; }
    RouteBuilder b(String mask) { bNumber = mask; return this; }
    RouteBuilder bHost(String mask) { bHost = mask; return this; }
    RouteBuilder bRewrite(String r) { bRewrite = r; return this; }
    RouteBuilder aRewrite(String mask, String r) { aRewriteMask = mask; aRewrite = r; return this; }
    RouteBuilder gateway(String d) { type = DestinationType.GATEWAY; destination = d; return this; }
    RouteBuilder to(DestinationType t, String d) { type = t; destination = d; return this; }
    RouteBuilder continueOnFailure() { continueOnFailure = true; return this; }
    RouteBuilder callerId(String c) { callerId = c; return this; }
    RouteBuilder maxDuration(int s) { maxDuration = s; return this; }
    RouteBuilder days(Integer... d) { days = List.of(d); return this; }
    RouteBuilder hours(String f, String t) { from = f; to = t; return this; }
    RouteBuilder zone(String z) { zone = z; return this; }

    Routes.Route build() {
        return new Routes.Route(id, name, "", priority, enabled, aNumber, aHost, bNumber, bHost, bRewrite, aRewriteMask,
                aRewrite, type, destination, false, true, maxDuration, continueOnFailure, callerId, days, from, to, zone,
                null, null);
    }

    CompiledRoute compiled() {
        return RouteCompiler.compile(build());
    }

    static RouteSnapshot snapshot(RouteBuilder... routes) {
        return new RouteSnapshot(java.util.Arrays.stream(routes).map(RouteBuilder::compiled).toList());
    }
}

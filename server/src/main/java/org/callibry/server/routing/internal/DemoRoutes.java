package org.callibry.server.routing.internal;

import java.util.List;
import org.callibry.shared.api.dto.Routes;
import org.callibry.shared.api.dto.Routes.DestinationType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * First-start demo routes (unless {@code callibry.demo.enabled=false}): local extensions, echo and
 * music-on-hold test numbers, long distance through a gateway with a fail-over gateway, and an
 * inbound number, so that every kind of mask appears once. Only created while no route has ever
 * existed: a table the administrator emptied stays empty.
 */
@Component
@Order(1)
class DemoRoutes implements ApplicationRunner {
    private static final Logger log = LoggerFactory.getLogger(DemoRoutes.class);

    static final List<Routes.Create> ROUTES = List.of(
            // calls to 1005 are recorded (both parties, through the relay) to show recording end to end
            recorded(route("Recorded extension 1005", "Local", 5, "", "", "^1005$", "", "", "", "",
                    DestinationType.LOCAL, "", false)),
            route("Local extensions", "Local", 10, "", "", "^1\\d{3}$", "", "", "", "",
                    DestinationType.LOCAL, "", false),
            route("Echo test", "Test", 20, "", "", "^600$", "", "", "", "", DestinationType.ECHO, "", false),
            route("Music on hold", "Test", 30, "", "", "^601$", "", "", "", "", DestinationType.MUSIC_ON_HOLD, "", false),
            // B-host mask: sip:echo@demo.callibry.test reaches the echo test by name
            route("Echo by name", "Test", 40, "", "", "^echo$", "^demo\\.callibry\\.test$", "", "", "",
                    DestinationType.ECHO, "", false),
            // A-host mask: calls the demo gateway sends in for the demo DID go to extension 1001
            route("Inbound DID", "Inbound", 50, "", "^127\\.0\\.0\\.1$", "^\\+74951234567$", "", "1001", "", "",
                    DestinationType.LOCAL, "", false),
            // A-number mask: only the demo extensions may call long distance; 8 XXX XXX XX XX becomes +7 XXX XXX XX XX
            route("Russian long distance", "Long distance", 60, "^1\\d{3}$", "", "^8(\\d{10})$", "", "+7$1", "", "",
                    DestinationType.GATEWAY, "127.0.0.1:5080", true),
            route("Russian long distance (failover)", "Long distance", 70, "^1\\d{3}$", "", "^8(\\d{10})$", "", "+7$1", "", "",
                    DestinationType.GATEWAY, "127.0.0.1:5081;transport=udp", false));

    private final RouteStore store;
    private final RouteEndpoint routes;
    private final TransactionTemplate tx;
    private final boolean demo;

    DemoRoutes(RouteStore store, RouteEndpoint routes, TransactionTemplate tx,
               @Value("${callibry.demo.enabled:true}") boolean demo) {
        this.store = store;
        this.routes = routes;
        this.tx = tx;
        this.demo = demo;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!demo) {
            return;
        }
        Boolean created = tx.execute(s -> {
            if (store.everUsed()) {
                return false;
            }
            ROUTES.forEach(r -> routes.save(RouteEndpoint.draft(r, r.priority())));
            return true;
        });
        if (Boolean.TRUE.equals(created)) {
            routes.changed(0, "imported");
            log.info("Created {} demo routes (local extensions 1xxx, 1005 recorded, echo 600, music on hold 601, long distance 8XXXXXXXXXX via"
                    + " 127.0.0.1:5080 then :5081)", ROUTES.size());
        }
    }

    private static Routes.Create recorded(Routes.Create r) {
        return new Routes.Create(r.name(), r.group(), r.priority(), r.enabled(), r.aNumberMask(), r.aHostMask(), r.bNumberMask(),
                r.bHostMask(), r.bRewrite(), r.aRewriteMask(), r.aRewrite(), r.destinationType(), r.destination(), true,
                r.relayMedia(), r.maxDurationSeconds(), r.continueOnFailure(), r.callerId(), r.days(), r.timeFrom(), r.timeTo(),
                r.timeZone());
    }

    private static Routes.Create route(String name, String group, int priority, String aNumberMask, String aHostMask,
                                       String bNumberMask, String bHostMask, String bRewrite, String aRewriteMask,
                                       String aRewrite, DestinationType type, String destination, boolean continueOnFailure) {
        return new Routes.Create(name, group, priority, true, aNumberMask, aHostMask, bNumberMask, bHostMask, bRewrite,
                aRewriteMask, aRewrite, type, destination, false, true, null, continueOnFailure, null, null, null, null, null);
    }
}

package org.callibry.server;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

/** The server's modules only use each other's API packages and form no cycles (Spring Modulith). */
class ModularityTests {

    @Test
    void modulesRespectTheirBoundaries() {
        ApplicationModules.of(CallibryServer.class).verify();
    }
}

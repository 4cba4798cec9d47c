package org.callibry.server.ops.internal;

import java.lang.management.ManagementFactory;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Logs, once the application is ready, how long the JVM took from start to healthy (database answering). */
@Component
class StartupReport {
    private static final Logger log = LoggerFactory.getLogger(StartupReport.class);
    private final DataSource dataSource;

    StartupReport(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @EventListener
    void ready(ApplicationReadyEvent event) {
        new JdbcTemplate(dataSource).queryForObject("select 1", Integer.class);
        long ms = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        String port = event.getApplicationContext() instanceof WebServerApplicationContext w && w.getWebServer() != null
                ? Integer.toString(w.getWebServer().getPort()) : "?";
        log.info("Callibry healthy in {} ms from JVM start (database up); HTTP on port {}", ms, port);
    }
}

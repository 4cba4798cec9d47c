package org.callibry.server.ops.internal;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * The embedded default: with no {@code spring.datasource.url} the server runs its own PostgreSQL with
 * data under {@code callibry.db.embedded.data-dir}. Set {@code spring.datasource.*} to use an external
 * server instead (see ADR 0002).
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedDatabaseConfiguration.NoDataSourceUrl.class)
@ConditionalOnProperty(name = "callibry.db.embedded.enabled", havingValue = "true", matchIfMissing = true)
class EmbeddedDatabaseConfiguration {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseConfiguration.class);

    /** Matches when the configuration names no external database. */
    static final class NoDataSourceUrl implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !StringUtils.hasText(context.getEnvironment().getProperty("spring.datasource.url"));
        }
    }

    @Bean(destroyMethod = "close")
    EmbeddedPostgresServer embeddedPostgresServer(@Value("${callibry.db.embedded.data-dir}") Path dataDir,
                                                  @Value("${callibry.db.embedded.work-dir}") Path workDir,
                                                  @Value("${callibry.db.embedded.port:0}") int port) {
        long t0 = System.nanoTime();
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir.toAbsolutePath(), workDir.toAbsolutePath(), port);
        log.info("Embedded PostgreSQL up on 127.0.0.1:{} with data in {} ({} ms)", server.port(), server.dataDir(),
                (System.nanoTime() - t0) / 1_000_000);
        return server;
    }

    /** Closed before the server bean that it depends on, so connections end before PostgreSQL stops. */
    @Bean(destroyMethod = "close")
    DataSource dataSource(EmbeddedPostgresServer server,
                          @Value("${spring.datasource.hikari.maximum-pool-size:20}") int poolSize) {
        HikariDataSource ds = new HikariDataSource();
        ds.setPoolName("callibry-embedded");
        ds.setJdbcUrl(server.jdbcUrl("postgres"));
        ds.setUsername("postgres");
        ds.setMaximumPoolSize(poolSize);
        return ds;
    }
}

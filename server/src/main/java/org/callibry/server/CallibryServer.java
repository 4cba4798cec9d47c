package org.callibry.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The Callibry softswitch: one Spring Boot application whose top-level packages are its modules
 * ({@code directory}, {@code api}, {@code ops}, ...), see {@code docs/architecture.md}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class CallibryServer {

    public static void main(String[] args) {
        SpringApplication.run(CallibryServer.class, args);
    }
}

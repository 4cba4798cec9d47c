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
        try {
            SpringApplication.run(CallibryServer.class, args);
        } catch (RuntimeException failed) {
            // Spring has logged why and closed the context; a stack or pool started before the failure may
            // still hold a non-daemon thread, and a server that failed to start must not linger half-alive.
            System.exit(1);
        }
    }
}

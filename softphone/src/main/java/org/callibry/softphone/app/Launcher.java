package org.callibry.softphone.app;

import javafx.application.Application;

/**
 * {@code java -jar softphone.jar [options]}: checks the command line first (a usage error is printed,
 * not shown as a stack trace), then starts the JavaFX application. A separate main class, so the jar
 * runs with the JavaFX jars on the class path.
 */
public final class Launcher {
    /**
     * JavaFX warns at every start that its classes come from the class path rather than modules:
     * that is how this jar is built (and supported), so that one message is filtered out of the
     * "javafx" logger. Held here, as java.util.logging keeps loggers only weakly.
     */
    private static final java.util.logging.Logger JAVAFX_LOG = java.util.logging.Logger.getLogger("javafx");

    private Launcher() {
    }

    public static void main(String[] args) {
        try {
            SoftphoneOptions.parse(args);
        } catch (SoftphoneOptions.UsageException e) {
            System.err.println(e.getMessage());
            System.err.print(SoftphoneOptions.USAGE);
            System.exit(2);
        }
        JAVAFX_LOG.setFilter(r -> r.getMessage() == null || !r.getMessage().startsWith("Unsupported JavaFX configuration"));
        Application.launch(SoftphoneApp.class, args);
    }
}

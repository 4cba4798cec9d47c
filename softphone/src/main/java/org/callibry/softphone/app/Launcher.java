package org.callibry.softphone.app;

import javafx.application.Application;

/**
 * {@code java -jar softphone.jar [options]}: checks the command line first (a usage error is printed,
 * not shown as a stack trace), then starts the JavaFX application. A separate main class, so the jar
 * runs with the JavaFX jars on the class path.
 */
public final class Launcher {
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
        Application.launch(SoftphoneApp.class, args);
    }
}

package org.callibry.softphone.phone;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.callibry.softphone.audio.AudioSink;
import org.callibry.softphone.audio.AudioSource;
import org.callibry.softphone.history.CallHistory;
import org.callibry.softphone.settings.Settings;

/**
 * The phone core started in a fresh JVM: creates a {@link SipPhone}, registers with
 * {@code args = server user password} and prints {@code REGISTERED <ms>}, the milliseconds from the
 * JVM's start to the registration (exit 0); {@code FAILED <reason>} (exit 1) or {@code TIMEOUT} (exit 2)
 * otherwise. Used by {@link StartupTimeIT}; it does not start the JavaFX window.
 */
public final class StartupProbe {
    private StartupProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path history = Files.createTempDirectory("startup-probe");
        SipPhone phone = new SipPhone(new SipPhone.Audio() {
            @Override
            public AudioSource microphone() {
                throw new UnsupportedOperationException("no calls in the startup probe");
            }

            @Override
            public AudioSink speaker() {
                throw new UnsupportedOperationException("no calls in the startup probe");
            }
        }, new CallHistory(history));
        CompletableFuture<String> outcome = new CompletableFuture<>();
        phone.addListener(new Phone.Listener() {
            @Override
            public void registration(Phone.Registration state, String reason) {
                if (state == Phone.Registration.REGISTERED) {
                    long ms = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
                    outcome.complete("REGISTERED " + ms);
                } else if (state == Phone.Registration.FAILED) {
                    outcome.complete("FAILED " + reason);
                }
            }
        });
        phone.register(Settings.defaults().withServer(args[0]).withUser(args[1]).withPassword(args[2]));
        int status;
        try {
            String line = outcome.get(20, TimeUnit.SECONDS);
            System.out.println(line);
            status = line.startsWith("REGISTERED") ? 0 : 1;
        } catch (TimeoutException e) {
            System.out.println("TIMEOUT");
            status = 2;
        }
        System.out.flush();
        phone.close();
        System.exit(status);
    }
}

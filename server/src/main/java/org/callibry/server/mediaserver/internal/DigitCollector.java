package org.callibry.server.mediaserver.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Collects one answer of DTMF digits for a session: completes with what was typed on the last digit
 * ({@code max}), a terminator (not included), the first-digit or inter-digit timeout, or when the
 * session ends. Digits arrive from RFC 4733 events or SIP INFO on network or SIP threads.
 */
final class DigitCollector {
    final CompletableFuture<String> result = new CompletableFuture<>();
    private final StringBuilder digits = new StringBuilder();
    private final ScheduledExecutorService timers;
    private final int max;
    private final Duration interDigit;
    private final String terminators;
    private final Consumer<DigitCollector> finished;
    private ScheduledFuture<?> timer;

    DigitCollector(ScheduledExecutorService timers, int max, Duration interDigit, String terminators,
                   Consumer<DigitCollector> finished) {
        this.timers = timers;
        this.max = max;
        this.interDigit = interDigit;
        this.terminators = terminators == null ? "" : terminators;
        this.finished = finished;
    }

    /** (Re)starts the timeout: the first digit's, then the inter-digit one after each digit. */
    synchronized void arm(Duration d) {
        if (timer != null) {
            timer.cancel(false);
        }
        timer = timers.schedule(this::finish, d.toMillis(), TimeUnit.MILLISECONDS);
    }

    synchronized void digit(char d) {
        if (result.isDone()) {
            return;
        }
        if (terminators.indexOf(d) >= 0) {
            finish();
            return;
        }
        digits.append(d);
        if (digits.length() >= max) {
            finish();
        } else {
            arm(interDigit);
        }
    }

    synchronized void finish() {
        if (timer != null) {
            timer.cancel(false);
        }
        finished.accept(this);
        result.complete(digits.toString());
    }
}

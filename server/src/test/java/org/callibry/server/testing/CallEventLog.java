package org.callibry.server.testing;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.callibry.server.calls.CallAnswered;
import org.callibry.server.calls.CallEnded;
import org.callibry.server.calls.CallOffered;
import org.callibry.server.calls.CallTransferred;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The call lifecycle and queue events the server published, for integration tests to assert on: a bean of every
 * test context (test classes are component-scanned), listening like any other module would.
 */
@Component
public class CallEventLog {
    private final List<Object> events = new CopyOnWriteArrayList<>();

    @EventListener
    void on(CallOffered e) {
        events.add(e);
    }

    @EventListener
    void on(CallAnswered e) {
        events.add(e);
    }

    @EventListener
    void on(CallTransferred e) {
        events.add(e);
    }

    @EventListener
    void on(CallEnded e) {
        events.add(e);
    }

    @EventListener
    void on(org.callibry.server.acd.QueueEvent e) {
        events.add(e);
    }

    /** The events of {@code type} that match, waiting up to {@code within} for at least one. */
    public <T> List<T> await(Class<T> type, Predicate<T> match, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            List<T> found = events.stream().filter(type::isInstance).map(type::cast).filter(match).toList();
            if (!found.isEmpty() || System.nanoTime() > deadline) {
                return found;
            }
            Thread.sleep(50);
        }
    }
}

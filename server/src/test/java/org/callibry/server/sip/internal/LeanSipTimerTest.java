package org.callibry.server.sip.internal;

import static org.assertj.core.api.Assertions.assertThat;

import gov.nist.javax.sip.stack.SIPClientTransactionImpl;
import gov.nist.javax.sip.stack.SIPServerTransactionImpl;
import gov.nist.javax.sip.stack.SIPStackTimerTask;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@link LeanSipTimer} finds Timer J by the enclosing method of the RI's anonymous task: if an upgrade of
 * JAIN-SIP moves it, this fails instead of the wait silently going back to 32 s.
 */
class LeanSipTimerTest {

    @Test
    void exactlyOneTaskOfTheServerTransactionIsTimerJ() {
        List<Class<?>> timerJ = anonymousClassesOf(SIPServerTransactionImpl.class).stream()
                .filter(LeanSipTimer::isTimerJ).toList();
        assertThat(timerJ).hasSize(1);
        assertThat(SIPStackTimerTask.class).isAssignableFrom(timerJ.getFirst());
    }

    @Test
    void theOtherTimersKeepTheirDelays() {
        assertThat(anonymousClassesOf(SIPClientTransactionImpl.class)).isNotEmpty()
                .noneMatch(LeanSipTimer::isTimerJ); // Timer K and the rest of the client side
        assertThat(LeanSipTimer.isTimerJ(SIPStackTimerTask.class)).isFalse();
        SIPStackTimerTask ownTask = startTransactionTimerJ();
        assertThat(LeanSipTimer.isTimerJ(ownTask.getClass())).as("same method name, another class").isFalse();
    }

    private static SIPStackTimerTask startTransactionTimerJ() {
        return new SIPStackTimerTask() {
            @Override
            public void runTask() {
            }

            @Override
            public Object getThreadHash() {
                return null;
            }
        };
    }

    private static List<Class<?>> anonymousClassesOf(Class<?> outer) {
        return IntStream.rangeClosed(1, 30).mapToObj(i -> {
            try {
                return Class.forName(outer.getName() + "$" + i, false, outer.getClassLoader());
            } catch (ClassNotFoundException e) {
                return null;
            }
        }).filter(Objects::nonNull).<Class<?>>map(c -> c).toList();
    }
}

package org.callibry.server.sip.internal;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.stack.SIPServerTransactionImpl;
import gov.nist.javax.sip.stack.SIPStackTimerTask;
import gov.nist.javax.sip.stack.timers.DefaultSipTimer;
import java.lang.reflect.Method;
import java.util.Properties;

/**
 * The SIP stack's timer ({@code gov.nist.javax.sip.TIMER_CLASS_NAME}) with one change: a non-INVITE server
 * transaction that sent its final answer over UDP stays {@value #COMPLETED_WAIT}
 * (callibry.sip.completed-transaction-wait, 5 s by default) instead of RFC 3261's Timer J of 64 × T1 = 32 s.
 *
 * <p>Timer J only absorbs retransmissions of a request whose answer was lost; a UAC retransmits at 0.5, 1, 2,
 * 4, 4, ... s, so after 5 s one would need four answers in a row lost, and then the request is simply
 * processed again (a BYE for a dialog already gone is answered 481 by the far end). Kamailio keeps a finished
 * transaction 5 s for the same reason ({@code wait_timer}). Kept 32 s, every BYE's transaction with its
 * request and answer was the largest part of the live heap under load (32,000 of them at 1,000 calls/s),
 * and the collector's work grew with it.
 *
 * <p>The RI gives no hook for Timer J: its task is an anonymous class in
 * {@code SIPServerTransactionImpl.startTransactionTimerJ}, recognised here by that enclosing method.
 */
public class LeanSipTimer extends DefaultSipTimer {
    /** Stack property: the wait in milliseconds. */
    public static final String COMPLETED_WAIT = "org.callibry.sip.COMPLETED_TRANSACTION_WAIT_MS";

    private static final ClassValue<Boolean> TIMER_J = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            Method m = type.getEnclosingMethod();
            return m != null && m.getDeclaringClass() == SIPServerTransactionImpl.class
                    && m.getName().equals("startTransactionTimerJ");
        }
    };

    private volatile long completedWaitMillis = 32_000;

    @Override
    public void start(SipStackImpl sipStack, Properties configurationProperties) {
        String wait = configurationProperties.getProperty(COMPLETED_WAIT);
        if (wait != null) {
            completedWaitMillis = Math.max(0, Long.parseLong(wait.strip()));
        }
        super.start(sipStack, configurationProperties);
    }

    @Override
    public boolean schedule(SIPStackTimerTask task, long delay) {
        return super.schedule(task, isTimerJ(task.getClass()) ? Math.min(delay, completedWaitMillis) : delay);
    }

    /** Whether tasks of this class are a server transaction's Timer J. */
    static boolean isTimerJ(Class<?> taskClass) {
        return TIMER_J.get(taskClass);
    }
}

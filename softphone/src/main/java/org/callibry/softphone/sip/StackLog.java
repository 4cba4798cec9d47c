package org.callibry.softphone.sip;

import gov.nist.core.ServerLogger;
import gov.nist.core.StackLogger;
import gov.nist.javax.sip.message.SIPMessage;
import java.util.Properties;
import javax.sip.SipStack;

/**
 * JAIN-SIP's stack and message logger on {@link System.Logger} (JAIN-SIP would otherwise want log4j).
 * Messages are logged at DEBUG, and printed to standard error when the system property
 * {@code callibry.softphone.sip.trace} is true (for tests).
 */
public final class StackLog implements StackLogger, ServerLogger {
    private static final System.Logger LOG = System.getLogger("org.callibry.softphone.sip.stack");
    private static final boolean TRACE = Boolean.getBoolean("callibry.softphone.sip.trace");
    private String stackName = "";

    @Override
    public void logStackTrace() {
    }

    @Override
    public void logStackTrace(int traceLevel) {
    }

    @Override
    public int getLineCount() {
        return 0;
    }

    @Override
    public void logException(Throwable ex) {
        LOG.log(System.Logger.Level.DEBUG, "SIP stack exception", ex);
    }

    @Override
    public void logDebug(String message) {
        LOG.log(System.Logger.Level.TRACE, message);
    }

    @Override
    public void logDebug(String message, Exception ex) {
        LOG.log(System.Logger.Level.TRACE, message, ex);
    }

    @Override
    public void logTrace(String message) {
        LOG.log(System.Logger.Level.TRACE, message);
    }

    @Override
    public void logFatalError(String message) {
        LOG.log(System.Logger.Level.ERROR, message);
    }

    @Override
    public void logError(String message) {
        LOG.log(System.Logger.Level.WARNING, message);
    }

    @Override
    public boolean isLoggingEnabled() {
        return TRACE || LOG.isLoggable(System.Logger.Level.DEBUG);
    }

    @Override
    public boolean isLoggingEnabled(int logLevel) {
        if (logLevel <= TRACE_ERROR || TRACE && logLevel <= TRACE_MESSAGES) {
            return true;
        }
        return logLevel <= TRACE_INFO ? LOG.isLoggable(System.Logger.Level.DEBUG) : LOG.isLoggable(System.Logger.Level.TRACE);
    }

    @Override
    public void logError(String message, Exception ex) {
        // a stack being stopped interrupts its transport threads: not worth a warning
        LOG.log(ex instanceof InterruptedException || ex != null && ex.getCause() instanceof InterruptedException
                ? System.Logger.Level.DEBUG : System.Logger.Level.WARNING, message, ex);
    }

    @Override
    public void logWarning(String message) {
        // the stack announces at every start that TLS uses the JVM's default key and trust stores;
        // the phone gives TLS its own trust (TlsTrust), so these are not worth a warning
        boolean startupTlsNotice = message != null && (message.startsWith("using default tls security policy")
                || message.startsWith("Using default keystore type") || message.startsWith("Using default truststore type")
                || message.startsWith("TLS server settings will be inactive") || message.startsWith("TLS trust settings will be inactive"));
        LOG.log(startupTlsNotice ? System.Logger.Level.DEBUG : System.Logger.Level.WARNING, message);
    }

    @Override
    public void logInfo(String message) {
        LOG.log(System.Logger.Level.DEBUG, message);
    }

    @Override
    public void disableLogging() {
    }

    @Override
    public void enableLogging() {
    }

    @Override
    public void setBuildTimeStamp(String buildTimeStamp) {
    }

    @Override
    public void setStackProperties(Properties stackProperties) {
        stackName = stackProperties.getProperty("javax.sip.STACK_NAME", "");
    }

    @Override
    public String getLoggerName() {
        return "org.callibry.softphone.sip.stack";
    }

    @Override
    public void closeLogFile() {
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, boolean sender, long time) {
        log(message, from, to, sender);
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, String status, boolean sender, long time) {
        log(message, from, to, sender);
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, String status, boolean sender) {
        log(message, from, to, sender);
    }

    private void log(SIPMessage message, String from, String to, boolean sender) {
        if (TRACE) {
            System.err.println("---- " + stackName + (sender ? " sent " : " received ") + from + " -> " + to + "\n" + message);
        } else if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
            LOG.log(System.Logger.Level.DEBUG, "{0} {1} {2} -> {3}\n{4}", stackName, sender ? "sent" : "received", from, to,
                    message);
        }
    }

    @Override
    public void logException(Exception ex) {
        LOG.log(System.Logger.Level.DEBUG, "SIP stack exception", ex);
    }

    @Override
    public void setSipStack(SipStack sipStack) {
    }
}

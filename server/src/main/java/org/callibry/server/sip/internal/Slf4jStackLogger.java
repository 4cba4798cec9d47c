package org.callibry.server.sip.internal;

import gov.nist.core.ServerLogger;
import gov.nist.core.StackLogger;
import gov.nist.javax.sip.message.SIPMessage;
import java.util.Properties;
import javax.sip.SipStack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JAIN-SIP's stack and message loggers bridged to SLF4J (logger {@code gov.nist.javax.sip}); without
 * them the RI looks for log4j 1.x and fails to start. Message tracing goes to
 * {@code org.callibry.sip.messages} at TRACE.
 */
public final class Slf4jStackLogger implements StackLogger, ServerLogger {
    private static final Logger log = LoggerFactory.getLogger("gov.nist.javax.sip");
    private static final Logger messages = LoggerFactory.getLogger("org.callibry.sip.messages");

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
        log.warn("JAIN-SIP", ex);
    }

    @Override
    public void logDebug(String message) {
        log.debug(message);
    }

    @Override
    public void logDebug(String message, Exception ex) {
        log.debug(message, ex);
    }

    @Override
    public void logTrace(String message) {
        log.trace(message);
    }

    @Override
    public void logFatalError(String message) {
        log.error(message);
    }

    @Override
    public void logError(String message) {
        log.error(message);
    }

    @Override
    public boolean isLoggingEnabled() {
        return log.isDebugEnabled();
    }

    @Override
    public boolean isLoggingEnabled(int logLevel) {
        return switch (logLevel) {
            case TRACE_FATAL, TRACE_ERROR -> log.isErrorEnabled();
            case TRACE_WARN -> log.isWarnEnabled();
            case TRACE_INFO -> log.isInfoEnabled();
            case TRACE_DEBUG -> log.isDebugEnabled();
            default -> log.isTraceEnabled();
        };
    }

    @Override
    public void logError(String message, Exception ex) {
        log.error(message, ex);
    }

    @Override
    public void logWarning(String message) {
        log.warn(message);
    }

    @Override
    public void logInfo(String message) {
        log.info(message);
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
    }

    @Override
    public String getLoggerName() {
        return "gov.nist.javax.sip";
    }

    @Override
    public void closeLogFile() {
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, boolean sender, long time) {
        if (messages.isTraceEnabled()) {
            messages.trace("{} {} -> {}\n{}", sender ? "sent" : "received", from, to, message);
        }
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, String status, boolean sender, long time) {
        logMessage(message, from, to, sender, time);
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, String status, boolean sender) {
        logMessage(message, from, to, sender, 0);
    }

    @Override
    public void logException(Exception ex) {
        log.warn("JAIN-SIP", ex);
    }

    @Override
    public void setSipStack(SipStack sipStack) {
    }
}

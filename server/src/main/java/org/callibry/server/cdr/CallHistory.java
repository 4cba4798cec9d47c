package org.callibry.server.cdr;

import java.util.List;
import org.callibry.shared.api.dto.Calls;

/** The detail records of a number, as the operator's call card and {@code caller.info} show them. */
public interface CallHistory {

    /** The last {@code limit} calls of the tenant in which {@code number} was the caller or the called, newest first. */
    List<Calls.PastCall> lastCalls(long tenantId, String number, int limit);
}

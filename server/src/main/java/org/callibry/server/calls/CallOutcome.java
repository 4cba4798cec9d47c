package org.callibry.server.calls;

import java.time.Instant;

/**
 * What an application on the media server (a queue, an IVR) did with a call it served, so the
 * caller's detail record says that (answered by an agent, abandoned after N s, overflowed, called back)
 * rather than "answered" because the media server picked the call up. Published once per call id, when
 * the application is done with the caller's leg; the record of the caller's leg to the media server
 * takes its disposition and reason.
 */
public record CallOutcome(String callId, CallEnded.Disposition disposition, String reason, Instant at) {
}

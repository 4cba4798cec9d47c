/**
 * Calls through the signaling node: the stateful proxy (ingress policy, the proxy core's state machine,
 * forwarding with media anchoring, answered dialogs with the proxy's own BYEs), the call lifecycle
 * events ({@link org.callibry.server.calls.CallOffered}, {@link org.callibry.server.calls.CallAnswered},
 * {@link org.callibry.server.calls.CallEnded}) and the call-control API for media applications
 * ({@link org.callibry.server.calls.CallControl}). Built on the SIP core of {@code sip}; see
 * {@code docs/modules/calls.md} and ADR 0011.
 */
package org.callibry.server.calls;

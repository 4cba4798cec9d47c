package org.callibry.server.relay;

/**
 * The relay has seen no media in either direction of a call for {@code idleSeconds} (at least the
 * silence timeout, {@code callibry.media.silence-timeout}), and neither side holds: a phone crashed or
 * lost its network. Published again at every check while the silence lasts; the signaling side ends
 * the call if it is answered.
 */
public record MediaStopped(String callId, long idleSeconds) {
}

/**
 * Automatic call distribution (the seed's {@code ks_acd}): queues whose callers wait on a media server
 * with music and announcements, agents with a chosen status and a live state that follows SIP
 * reality, distribution strategies with penalty tiers and queue weights, callback by DTMF, and the
 * supervisor's control of waiting lists and calls. Publishes a {@link org.callibry.server.acd.QueueEvent}
 * for every step and {@link org.callibry.server.acd.AgentStatusChanged} for every agent change.
 */
package org.callibry.server.acd;

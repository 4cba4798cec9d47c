/**
 * Automatic call distribution. Today: operator status ({@code agent.setStatus}, {@code agent.getStatus},
 * {@code agent.list}), stored per SIP account and pushed as {@code agent.statusChanged}; queues, strategies
 * and the rest of the agent states arrive with the ACD issue.
 */
package org.callibry.server.acd;

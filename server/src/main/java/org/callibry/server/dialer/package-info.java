/**
 * Outbound dialing campaigns (the seed's {@code ks_caller}): number lists uploaded as CSV with a
 * per-tenant do-not-call list, calls placed from the media server within a schedule and the node's
 * capacity (paused while the load average is too high), retries by result, what an answered call gets
 * (audio, an IVR scenario, a queue's agents, predictively), per-number results, and restart safety.
 * See {@code docs/modules/dialer.md}.
 */
package org.callibry.server.dialer;

/**
 * The STUN message codec (RFC 8489, which obsoletes RFC 5389; RFC 3489 messages without the magic
 * cookie are read too), used by the server's STUN server and the softphone's STUN client. Bytes in,
 * bytes out: no sockets, no retransmission, no answers. Plain Java, no Spring, no JavaFX.
 */
package org.callibry.shared.stun;

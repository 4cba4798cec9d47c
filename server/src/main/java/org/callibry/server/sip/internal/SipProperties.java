package org.callibry.server.sip.internal;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code callibry.sip.*}: listening points, registrar limits, digest and proxy timers.
 *
 * @param enabled             run the SIP stack at all
 * @param bindAddress         address the listening points bind to
 * @param advertisedAddress   address put in Via, Record-Route and Contact; empty = the bind address,
 *                            or the first non-loopback address when binding to 0.0.0.0
 * @param port                UDP and TCP port
 * @param transports          {@code udp}, {@code tcp}
 * @param nonceTtl            how long a digest nonce is accepted before the answer is {@code stale=true}
 * @param algorithms          digest algorithms offered, most preferred first (MD5, SHA-256)
 * @param minExpires          shortest registration accepted (shorter: 423 Interval Too Brief)
 * @param maxExpires          registrations longer than this are shortened to it
 * @param defaultExpires      used when a REGISTER names no expiry
 * @param maxContacts         contacts per account (more: 403)
 * @param authFailuresPerAddress failed digest answers from one address within {@code authFailureWindow} before it is refused outright
 * @param authFailureWindow   the sliding window of that limit
 * @param keepAliveInterval   OPTIONS pings to contacts registered from behind NAT; 0 disables
 * @param threadPoolSize      JAIN-SIP message processing threads
 * @param maxServerTransactions pending server transactions before the stack answers 503 itself
 * @param maxRequestsPerSecond  a fixed cap on new requests per second, the excess answered 503 with Retry-After
 *                            (0, the default: no fixed cap; the server sheds by {@code maxQueueDelay} and
 *                            {@code shedDelay}, which follow its real capacity)
 * @param maxQueueDelay       a new request that waited longer than this in the UDP queue is answered 503 with
 *                            Retry-After instead of being processed late (0: never)
 * @param shedDelay           while the oldest queued UDP datagram has waited this long, datagrams from sources
 *                            sending more than an equal share of what the server processes are dropped
 *                            unparsed (0: never); below {@code maxQueueDelay}, so a modest source is still served
 * @param maxTransactionLifetime transactions are ended after this long at the latest (0: the stack's RFC 3261 timers only)
 * @param completedTransactionWait how long a non-INVITE server transaction (a BYE's, mostly) that sent its final
 *                            answer over UDP stays to answer retransmissions of its request (RFC 3261 Timer J is
 *                            32 s; Kamailio keeps a finished transaction 5 s, its {@code wait_timer}); at most 32 s.
 *                            A terminated transaction (an answered INVITE's too) then lingers as long (at most
 *                            the RI's 8 s) to absorb late retransmissions before it leaves the table
 * @param udpReceiveBuffer  the SIP UDP socket's receive buffer (SO_RCVBUF; the kernel caps it at
 *                            net.core.rmem_max): what arrives while the JVM pauses (a collection, a safepoint)
 *                            waits there instead of being dropped; at the kernel's default of 208 KB, a 100 ms
 *                            pause at 1,000 calls/s overflowed it and the calls lost to it failed
 * @param udpSockets        sockets that bind the UDP port together (SO_REUSEPORT), each read by its share of the
 *                            {@code threadPoolSize} threads, which process what they read to the end: no receive
 *                            thread and no queue between it and them. The kernel keeps each source on one socket.
 *                            0: one socket, read by one thread that queues the datagrams for the others. 2 by
 *                            default: 5-15 % less CPU per call than the queue (docs/performance.md)
 * @param tlsPort             SIP over TLS (RFC 3261 §26); 0 disables it
 * @param tlsKeystore         PKCS#12 file with the server's key and certificate; empty = a self-signed one
 *                            generated once under the data directory
 * @param tlsKeystorePassword its password
 * @param mediaTimeout        an answered call whose relayed media has been silent in both directions for this
 *                            long is ended with a BYE to both parties; 0 disables (the default of the relay's
 *                            {@code callibry.media.silence-timeout}, which watches for the silence)
 */
@ConfigurationProperties("callibry.sip")
public record SipProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("0.0.0.0") String bindAddress,
        @DefaultValue("") String advertisedAddress,
        @DefaultValue("5060") int port,
        @DefaultValue({"udp", "tcp"}) List<String> transports,
        @DefaultValue("300s") Duration nonceTtl,
        @DefaultValue("MD5") List<String> algorithms,
        @DefaultValue("60s") Duration minExpires,
        @DefaultValue("3600s") Duration maxExpires,
        @DefaultValue("3600s") Duration defaultExpires,
        @DefaultValue("10") int maxContacts,
        @DefaultValue("20") int authFailuresPerAddress,
        @DefaultValue("60s") Duration authFailureWindow,
        @DefaultValue("30s") Duration keepAliveInterval,
        @DefaultValue("8") int threadPoolSize,
        @DefaultValue("10000") int maxServerTransactions,
        @DefaultValue("0") int maxRequestsPerSecond,
        @DefaultValue("250ms") Duration maxQueueDelay,
        @DefaultValue("100ms") Duration shedDelay,
        @DefaultValue("0s") Duration maxTransactionLifetime,
        @DefaultValue("5s") Duration completedTransactionWait,
        @DefaultValue("4MB") DataSize udpReceiveBuffer,
        @DefaultValue("2") int udpSockets,
        @DefaultValue("5061") int tlsPort,
        @DefaultValue("") String tlsKeystore,
        @DefaultValue("changeit") String tlsKeystorePassword,
        @DefaultValue("60s") Duration mediaTimeout) {

}

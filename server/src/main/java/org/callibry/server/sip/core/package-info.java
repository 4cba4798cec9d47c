/**
 * The SIP core that the call side builds on: the running stack's factories and helpers ({@link
 * org.callibry.server.sip.core.Sip}), the SIP domains and accounts in memory, the location service,
 * digest authentication, trusted peers, the next-hop override, and the {@link
 * org.callibry.server.sip.core.CallHandler} the {@code calls} module plugs into the stack.
 */
@org.springframework.modulith.NamedInterface("core")
package org.callibry.server.sip.core;

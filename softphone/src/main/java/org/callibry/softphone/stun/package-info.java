/** STUN (RFC 5389) Binding, so the softphone learns the public address a NAT gives its SIP and RTP sockets. */
package org.callibry.softphone.stun;

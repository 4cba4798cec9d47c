/**
 * The RTP toolkit of the media plane, shared by the relay and the media server: the port pool and its
 * selector threads, the 20 ms media clock, RTP streams, SDP, prompt players and music on hold.
 */
@org.springframework.modulith.NamedInterface("rtp")
package org.callibry.server.relay.rtp;

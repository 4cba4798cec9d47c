/**
 * The RTP relay of this node (SDP rewrite, symmetric latching, hold music, recording feed), the rtpengine "ng" control server, the STUN server, and {@link org.callibry.server.relay.MediaRelay}: the relay as the signaling side drives it (the least-loaded healthy node per call). See {@code docs/modules/relay.md}.
 */
package org.callibry.server.relay;

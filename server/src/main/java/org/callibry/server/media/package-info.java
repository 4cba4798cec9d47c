/**
 * Everything that touches RTP on the server: the relay (SDP rewrite, symmetric latching, recording),
 * its rtpengine "ng" control protocol, the media server primitives for the applications (echo, music
 * on hold, IVR, queues, dialer), the STUN server and the registry of media nodes.
 * The signaling side uses {@link org.callibry.server.media.MediaRelay}; see {@code docs/modules/media.md}.
 */
package org.callibry.server.media;

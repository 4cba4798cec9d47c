/**
 * The rtpengine "ng" control protocol's client side and its bencode codec: the contract between a
 * signaling node and its media nodes (ours or a stock rtpengine). The relay's ng server uses the codec.
 */
@org.springframework.modulith.NamedInterface("ng")
package org.callibry.server.nodes.ng;

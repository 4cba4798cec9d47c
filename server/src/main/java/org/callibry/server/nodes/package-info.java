/**
 * Media nodes: the roles of this process, the registry of media nodes (local, announced by heartbeat, static rtpengine daemons pinged over ng), their load and the choice of a node for a new call. See {@code docs/modules/nodes.md}.
 */
package org.callibry.server.nodes;

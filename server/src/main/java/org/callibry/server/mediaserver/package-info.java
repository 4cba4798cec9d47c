/**
 * The media server: a SIP user agent that terminates calls routed to a media service and hands each to the registered {@link org.callibry.server.calls.CallApplication} as a {@link org.callibry.server.calls.CallSession} (answer, play, collect digits, record, bridge, transfer). Built-in services: echo and music on hold. See {@code docs/modules/mediaserver.md}.
 */
package org.callibry.server.mediaserver;

package org.callibry.server.api;

/** Facts about the request a JSON-RPC call came in: where from, and the credentials it carried. */
public record CallContext(String remoteAddress, String bearerToken) {
}

package org.callibry.server.calls;

import java.util.Optional;

/**
 * What the proxy needs to know of the media servers (this node's and other media nodes'): where a call
 * for a service goes, and whether a request comes from one of them (trusted, on behalf of the tenant it
 * names in {@link #TENANT_HEADER}). Implemented by the media server; absent when none runs.
 */
public interface MediaServers {

    /**
     * The header with which the proxy tells the media server the caller's tenant (music, prompts,
     * recordings); the proxy removes it from every request it did not add it to, and believes it only
     * on requests from a media server.
     */
    String TENANT_HEADER = "X-Callibry-Tenant";

    /**
     * The header with which a media server says which call a leg it originates belongs to (the call id
     * of the events and detail records); believed, like the tenant, only from a media server.
     */
    String CALL_HEADER = "X-Callibry-Call";

    /**
     * The SIP URI a call for service {@code kind} (and its {@code name}: queue, IVR, ...) goes to: the
     * least-loaded healthy media node with a media server; empty when none is up or nothing serves {@code kind}.
     */
    Optional<String> uri(String kind, String name, String calledNumber);

    /** True when {@code ip:port} is the SIP endpoint of one of our media servers. */
    boolean isMediaServer(String ip, int port);
}

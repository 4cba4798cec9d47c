package org.callibry.server.relay;

/**
 * The relay as the signaling side sees it: the offer/answer/delete of the rtpengine ng protocol. The
 * implementation picks the least-loaded healthy media node for a new call and keeps later commands of
 * the call on that node. Calls block for at most the control timeout (a UDP round trip on loopback).
 */
public interface MediaRelay {

    /**
     * An SDP offer travelling from {@code fromTag}'s side (INVITE, re-INVITE, UPDATE; or a 200 OK that
     * carries the offer of a late-offer call): returns the SDP to forward, pointing at the relay.
     */
    String offer(RelayCall call, String sdp, RelayOptions options) throws MediaException;

    /** The SDP answer from {@code toTag}'s side (18x, 200, ACK): returns the SDP to forward. */
    String answer(RelayCall call, String toTag, String sdp, RelayOptions options) throws MediaException;

    /** Ends the call's relay (and its recording); idempotent, never throws. */
    void delete(String callId, String reason);

    /**
     * One relayed call: its Call-ID and the tag of the side that made the first offer.
     *
     * @param tenantId the caller's tenant (music on hold, recording ownership), or null
     */
    record RelayCall(String callId, String fromTag, Long tenantId, String aNumber, String bNumber) {
    }

    /**
     * @param record       record both directions of the call
     * @param stereo       record caller left, callee right instead of mixed mono
     * @param musicOnHold  play the tenant's music to the other side while one side holds
     */
    record RelayOptions(boolean record, boolean stereo, boolean musicOnHold) {
        public static final RelayOptions PLAIN = new RelayOptions(false, false, true);
    }

    /** The relay could not take the call (no healthy node, no free port, bad SDP). */
    class MediaException extends Exception {
        public MediaException(String message) {
            super(message);
        }
    }
}

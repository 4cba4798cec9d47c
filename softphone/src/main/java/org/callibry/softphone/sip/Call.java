package org.callibry.softphone.sip;

import java.util.Optional;
import java.util.UUID;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.ServerTransaction;
import javax.sip.message.Request;

/**
 * One call of a {@link UserAgent}, incoming or outgoing, from the first INVITE to ENDED. The methods
 * return at once; what they cause is reported through {@link UserAgentListener}. State and media may
 * be read from any thread.
 */
public final class Call {
    /** Who placed the call. */
    public enum Direction {
        INCOMING, OUTGOING
    }

    private final UserAgent agent;
    private final String id = UUID.randomUUID().toString();
    private final Direction direction;
    private final String remoteUri;
    private final String remoteUser;
    private final String remoteDisplayName;
    private final String queue;
    private final boolean waiting;
    private volatile CallState state;
    private volatile CallEnd end;
    private volatile CallMedia media;
    /** The server's id of the call ({@code X-Callibry-Call-Id}), empty when the INVITE had none. */
    volatile String serverCallId = "";
    /** Seconds the caller waited in the queue ({@code X-Callibry-Queue-Wait}), empty when not from a queue. */
    volatile String queueWait = "";

    // SIP side, touched only on the agent's event thread
    final String callId;
    final String localTag;
    final RtpPorts rtpPorts;
    final long sdpSessionId = System.currentTimeMillis() / 1000;
    long sdpVersion;
    Dialog dialog;
    Request invite;
    ClientTransaction inviteTx;
    ServerTransaction inviteServerTx;
    ClientTransaction reinviteTx;
    SessionDescription remoteOffer;
    MediaDirection localDirection = MediaDirection.SENDRECV;
    boolean provisionalReceived;
    boolean cancelRequested;
    boolean cancelSent;
    boolean awaitingAnswerInAck;
    Call replaced;
    Call referredBy;
    TransferProgress.Role transferRole;
    boolean transferSucceeded;
    String replacesHeader;
    /** The RTP address put into SDP: the local one, or what STUN saw when configured. */
    String sdpHost;
    int sdpPort;
    final java.util.ArrayDeque<String> dtmfQueue = new java.util.ArrayDeque<>();
    ClientTransaction infoTx;

    Call(UserAgent agent, Direction direction, String callId, String localTag, String remoteUri, String remoteUser,
         String remoteDisplayName, String queue, boolean waiting, RtpPorts rtpPorts, CallState initial) {
        this.agent = agent;
        this.direction = direction;
        this.callId = callId;
        this.localTag = localTag;
        this.remoteUri = remoteUri;
        this.remoteUser = remoteUser;
        this.remoteDisplayName = remoteDisplayName == null ? "" : remoteDisplayName;
        this.queue = queue == null ? "" : queue;
        this.waiting = waiting;
        this.rtpPorts = rtpPorts;
        this.state = initial;
        this.sdpHost = rtpPorts.address().getHostAddress();
        this.sdpPort = rtpPorts.rtpPort();
        this.media = new CallMedia(rtpPorts.rtpPort(), null, -1, "", -1, MediaDirection.SENDRECV);
    }

    /** A local identifier, unique per call. */
    public String id() {
        return id;
    }

    /** The SIP Call-ID. */
    public String sipCallId() {
        return callId;
    }

    public Direction direction() {
        return direction;
    }

    /** The other party's SIP URI. */
    public String remoteUri() {
        return remoteUri;
    }

    /** The other party's number (user part of its URI). */
    public String remoteUser() {
        return remoteUser;
    }

    public String remoteDisplayName() {
        return remoteDisplayName;
    }

    /**
     * The name of the server's queue that offered this incoming call (its INVITE's
     * {@code X-Callibry-Queue}); empty for a call that came in directly and for outgoing calls.
     */
    public String queue() {
        return queue;
    }

    /**
     * The id the server shares among all legs of this call (CDRs, recordings, notes): the INVITE's
     * {@code X-Callibry-Call-Id} when a queue offered it, else the SIP Call-ID.
     */
    public String serverCallId() {
        return serverCallId.isBlank() ? callId : serverCallId;
    }

    /** Seconds the caller had waited in the queue when the call was offered ({@code X-Callibry-Queue-Wait}), or empty. */
    public String queueWait() {
        return queueWait;
    }

    /** True for an incoming call that arrived while another call was in progress (call waiting). */
    public boolean waiting() {
        return waiting;
    }

    public CallState state() {
        return state;
    }

    /** Why the call ended, once ENDED. */
    public Optional<CallEnd> end() {
        return Optional.ofNullable(end);
    }

    /** The negotiated media: the audio engine's seam. */
    public CallMedia media() {
        return media;
    }

    /** The local RTP/RTCP sockets whose port is in our SDP, for the audio engine to take over. */
    public RtpPorts rtpPorts() {
        return rtpPorts;
    }

    /** The call this one replaced (we were the target of an attended transfer). */
    public Optional<Call> replaced() {
        return Optional.ofNullable(replaced);
    }

    /** Answers a RINGING call. */
    public void answer() {
        agent.answer(this);
    }

    /** Rejects a RINGING call with 486 Busy Here. */
    public void reject() {
        agent.reject(this);
    }

    /** Ends the call whatever its state: CANCEL while dialing, 486 while ringing, BYE when established. */
    public void hangUp() {
        agent.hangUp(this);
    }

    /** Ends an established call the network dropped (BYE), saying so: {@code why} is shown. */
    public void drop(String why) {
        agent.drop(this, why);
    }

    /** Puts an ACTIVE call on hold (re-INVITE with a=sendonly, RFC 3264 §8.4). */
    public void hold() {
        agent.hold(this, true);
    }

    /** Takes a HELD call off hold (re-INVITE with a=sendrecv). */
    public void resume() {
        agent.hold(this, false);
    }

    /** Sends a DTMF digit (0-9, *, #, A-D) by SIP INFO with application/dtmf-relay. */
    public void sendDtmf(char digit) {
        agent.sendDtmf(this, digit, 160);
    }

    /** Blind transfer: asks the other party to call {@code target} (REFER, RFC 3515). */
    public void transfer(String target) {
        agent.blindTransfer(this, target);
    }

    /**
     * Attended transfer: asks the other party of this call to replace {@code consultation} (our call
     * with the target) by a call of its own (REFER with Replaces, RFC 3891 and RFC 5589 §7).
     */
    public void transfer(Call consultation) {
        agent.attendedTransfer(this, consultation);
    }

    // --- updated by the agent on its event thread

    void state(CallState s) {
        state = s;
    }

    void end(CallEnd e) {
        end = e;
        state = CallState.ENDED;
    }

    void media(CallMedia m) {
        media = m;
    }

    @Override
    public String toString() {
        return "Call[" + direction + " " + remoteUser + " " + state + (end == null ? "" : " " + end) + "]";
    }
}

package org.callibry.server.sip.internal;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.stack.SIPServerTransaction;
import java.text.ParseException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sip.Dialog;
import javax.sip.InvalidArgumentException;
import javax.sip.ObjectInUseException;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.TransactionState;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.callibry.server.sip.core.Sip;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What stands in for a server transaction where the registrar answers a REGISTER over UDP without one:
 * the final answer of each request, as text, for {@link #WINDOW_NANOS} to {@code 2 ×} that, keyed by the
 * request's source, top Via branch, Call-ID and CSeq. A retransmission of a request still being answered
 * is dropped; one of a request already answered gets the same answer again, as a transaction would send
 * it (RFC 3261 §17.2.2), instead of being processed again (its nonce count would be a replay, and its
 * 401 could overtake the 200 of the original).
 *
 * <p>It costs a map entry of about 700 bytes per REGISTER for a few seconds, in two generations swapped
 * whole: no timer per request. A JAIN-SIP server transaction kept the parsed request, the answer and a
 * 500 ms timer task for 32 s.
 */
final class StatelessReplies {
    private static final Logger log = LoggerFactory.getLogger(StatelessReplies.class);
    /** A UAC retransmits at 0.5, 1.5, 3.5 and 7.5 s: an answer is kept at least 4 s, at most 8 s. */
    static final long WINDOW_NANOS = 4_000_000_000L;

    private final Sip sip;
    private final SipStackImpl stack;
    private volatile Map<String, Slot> current = new ConcurrentHashMap<>();
    private volatile Map<String, Slot> previous = Map.of();
    private volatile long swapAt = System.nanoTime() + WINDOW_NANOS;

    StatelessReplies(Sip sip, SipStackImpl stack) {
        this.sip = sip;
        this.stack = stack;
    }

    /** The answer of one request: empty while it is being answered. */
    static final class Slot {
        volatile String finalResponse;
    }

    /**
     * A transaction for {@code request}, or null when it is a retransmission, which this method has dealt
     * with (dropped, or answered again).
     */
    ServerTransaction begin(Request request) {
        // The RI holds the request's transaction as pending until the listener returns, and drops without a word
        // every copy of the request that comes meanwhile, even after our answer has left: a phone that lost the
        // answer and sent the request again would get nothing. The slots decide instead.
        if (((SIPRequest) request).getTransaction() instanceof SIPServerTransaction pending) {
            stack.removePendingTransaction(pending);
        }
        String key = key(request);
        swapIfDue();
        Slot seen = previous.get(key);
        if (seen == null) {
            Slot mine = new Slot();
            seen = current.putIfAbsent(key, mine);
            if (seen == null) {
                return new Stateless(request, mine);
            }
        }
        String answer = seen.finalResponse;
        if (answer != null) {
            try {
                sip.send(null, sip.messages.createResponse(answer));
            } catch (ParseException e) {
                log.debug("Cannot send the stored answer again: {}", e.getMessage());
            }
        }
        return null;
    }

    private void swapIfDue() {
        long now = System.nanoTime();
        if (now - swapAt >= 0) {
            synchronized (this) {
                if (now - swapAt >= 0) {
                    previous = current;
                    current = new ConcurrentHashMap<>();
                    swapAt = now + WINDOW_NANOS;
                }
            }
        }
    }

    private static String key(Request request) {
        ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
        CallIdHeader callId = (CallIdHeader) request.getHeader(CallIdHeader.NAME);
        CSeqHeader cseq = (CSeqHeader) request.getHeader(CSeqHeader.NAME);
        return Sip.sourceIp(request) + ":" + Sip.sourcePort(request) + "|" + (via == null ? "" : via.getBranch()) + "|"
                + (callId == null ? "" : callId.getCallId()) + "|" + (cseq == null ? "" : cseq.getSeqNumber());
    }

    /** Sends through the provider, remembering the final answer; the rest of a transaction does nothing. */
    private final class Stateless implements ServerTransaction {
        private final Request request;
        private final Slot slot;
        private Object applicationData;

        Stateless(Request request, Slot slot) {
            this.request = request;
            this.slot = slot;
        }

        @Override
        public void sendResponse(Response response) throws SipException, InvalidArgumentException {
            if (response.getStatusCode() >= 200) {
                // kept before it leaves: a retransmission sent the moment the answer arrives must find it
                slot.finalResponse = response.toString();
            }
            sip.provider.sendResponse(response);
        }

        @Override
        public void enableRetransmissionAlerts() {
        }

        @Override
        public Dialog getDialog() {
            return null;
        }

        @Override
        public TransactionState getState() {
            return slot.finalResponse == null ? TransactionState.TRYING : TransactionState.COMPLETED;
        }

        @Override
        public int getRetransmitTimer() throws UnsupportedOperationException {
            throw new UnsupportedOperationException("answered statelessly");
        }

        @Override
        public void setRetransmitTimer(int retransmitTimer) throws UnsupportedOperationException {
            throw new UnsupportedOperationException("answered statelessly");
        }

        @Override
        public String getBranchId() {
            ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
            return via == null ? null : via.getBranch();
        }

        @Override
        public Request getRequest() {
            return request;
        }

        @Override
        public void setApplicationData(Object applicationData) {
            this.applicationData = applicationData;
        }

        @Override
        public Object getApplicationData() {
            return applicationData;
        }

        @Override
        public void terminate() throws ObjectInUseException {
        }
    }
}

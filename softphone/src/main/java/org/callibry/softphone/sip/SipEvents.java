package org.callibry.softphone.sip;

import javax.sip.ClientTransaction;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.SipListener;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * JAIN-SIP's callbacks, handed over to the event thread and to the part whose job they are: requests
 * by method (and, within a dialog, by call), responses by the method in their CSeq, timeouts by
 * transaction.
 */
final class SipEvents implements SipListener {
    private final SipEndpoint endpoint;
    private final RegistrationClient registration;
    private final InviteSessions sessions;
    private final Reinvites reinvites;
    private final DtmfInfo dtmf;
    private final Transfers transfers;
    private final Messaging messaging;

    SipEvents(SipEndpoint endpoint, RegistrationClient registration, InviteSessions sessions, Reinvites reinvites,
              DtmfInfo dtmf, Transfers transfers, Messaging messaging) {
        this.endpoint = endpoint;
        this.registration = registration;
        this.sessions = sessions;
        this.reinvites = reinvites;
        this.dtmf = dtmf;
        this.transfers = transfers;
        this.messaging = messaging;
    }

    @Override
    public void processRequest(RequestEvent e) {
        endpoint.run(() -> request(e));
    }

    @Override
    public void processResponse(ResponseEvent e) {
        endpoint.run(() -> response(e));
    }

    @Override
    public void processTimeout(TimeoutEvent e) {
        endpoint.run(() -> timeout(e));
    }

    @Override
    public void processIOException(IOExceptionEvent e) {
        endpoint.run(registration::connectionFailed);
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent e) {
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent e) {
        endpoint.run(() -> sessions.dialogTerminated(e.getDialog()));
    }

    private void request(RequestEvent e) throws Exception {
        Request r = e.getRequest();
        String callId = ((CallIdHeader) r.getHeader(CallIdHeader.NAME)).getCallId();
        Call c = sessions.get(callId);
        boolean inDialog = ((ToHeader) r.getHeader(ToHeader.NAME)).getTag() != null;
        switch (r.getMethod()) {
            case Request.INVITE -> {
                if (inDialog && c != null && c.state() != CallState.ENDED) {
                    reinvites.incoming(c, e);
                } else if (inDialog) {
                    noSuchCall(e);
                } else {
                    sessions.incoming(e);
                }
            }
            case Request.ACK -> {
                if (c != null) {
                    sessions.ack(c, r);
                }
            }
            case Request.CANCEL -> {
                endpoint.respond(endpoint.serverTransaction(e), r, Response.OK);
                if (c != null) {
                    sessions.cancelled(c);
                }
            }
            case Request.BYE -> {
                endpoint.respond(endpoint.serverTransaction(e), r, c == null ? Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST : Response.OK);
                if (c != null) {
                    sessions.bye(c, r);
                }
            }
            case Request.INFO -> {
                if (c == null) {
                    noSuchCall(e);
                } else {
                    dtmf.incoming(c, e);
                }
            }
            case Request.REFER -> {
                if (c == null || !c.state().established()) {
                    noSuchCall(e);
                } else {
                    transfers.incomingRefer(c, e);
                }
            }
            case Request.NOTIFY -> {
                if (c == null) {
                    noSuchCall(e);
                } else {
                    transfers.incomingNotify(c, e);
                }
            }
            case Request.MESSAGE -> messaging.incoming(e);
            case Request.OPTIONS -> endpoint.respond(endpoint.serverTransaction(e), r, Response.OK);
            default -> endpoint.respond(endpoint.serverTransaction(e), r, Response.METHOD_NOT_ALLOWED);
        }
    }

    private void noSuchCall(RequestEvent e) {
        endpoint.respond(endpoint.serverTransaction(e), e.getRequest(), Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
    }

    private void response(ResponseEvent e) throws Exception {
        Response r = e.getResponse();
        CSeqHeader cseq = (CSeqHeader) r.getHeader(CSeqHeader.NAME);
        Call c = sessions.get(((CallIdHeader) r.getHeader(CallIdHeader.NAME)).getCallId());
        switch (cseq.getMethod()) {
            case Request.REGISTER -> registration.response(e);
            case Request.INVITE -> {
                if (c != null && e.getClientTransaction() != null && e.getClientTransaction() == c.reinviteTx) {
                    reinvites.response(c, e);
                } else if (c != null) {
                    sessions.response(c, e);
                } else if (r.getStatusCode() >= 200 && r.getStatusCode() < 300 && e.getDialog() != null) {
                    // a 2xx for a call already forgotten is still acknowledged (RFC 3261 §13.2.2.4)
                    e.getDialog().sendAck(e.getDialog().createAck(cseq.getSeqNumber()));
                }
            }
            case Request.REFER -> {
                if (c != null) {
                    transfers.referResponse(c, r);
                }
            }
            case Request.MESSAGE -> messaging.response(e);
            case Request.INFO -> {
                if (c != null && r.getStatusCode() >= 200) {
                    dtmf.done(c, e.getClientTransaction());
                }
            }
            default -> {
                // BYE, CANCEL, NOTIFY: nothing to do
            }
        }
    }

    private void timeout(TimeoutEvent e) {
        if (e.isServerTransaction()) {
            sessions.answerTimedOut(e.getServerTransaction());
            return;
        }
        ClientTransaction ct = e.getClientTransaction();
        if (registration.timedOut(ct) || messaging.timedOut(ct)) {
            return;
        }
        Call c = sessions.get(((CallIdHeader) ct.getRequest().getHeader(CallIdHeader.NAME)).getCallId());
        if (c == null) {
            return;
        }
        if (ct == c.inviteTx) {
            sessions.inviteTimedOut(c);
        } else if (ct == c.infoTx) {
            dtmf.done(c, ct);
        } else if (ct == c.reinviteTx) {
            reinvites.timedOut(c);
        }
    }
}

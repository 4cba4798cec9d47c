package org.callibry.server.sip.core;

import javax.sip.ClientTransaction;
import javax.sip.ServerTransaction;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * The call side of the signaling node, plugged into the SIP stack: it gets every request but
 * REGISTER, and the responses and timeouts of the client transactions it made. Implemented by the
 * {@code calls} module (the proxy).
 */
public interface CallHandler {

    /** The stack is up: {@code sip} sends and answers, {@code auth} challenges callers (RFC 3261 §22). */
    public void started(Sip sip, DigestAuthenticator auth);

    /** An out-of-dialog or in-dialog request (not REGISTER, ACK or CANCEL), with its server transaction. */
    public void request(ServerTransaction st, Request request);

    public void cancel(ServerTransaction st, Request request);

    /** An ACK that matched no server transaction: the ACK of a 2xx (RFC 3261 §17.2.1). */
    public void ack(Request request);

    /** A response; {@code ct} is null for one that matched no client transaction. */
    public void response(ClientTransaction ct, Response response);

    public void timeout(ClientTransaction ct);

    /** Every 30 s on the stack's timer thread: expiring state. */
    public void housekeeping();

    /** The stack is stopping. */
    public void stopped();
}

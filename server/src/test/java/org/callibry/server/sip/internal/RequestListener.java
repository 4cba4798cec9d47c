package org.callibry.server.sip.internal;

import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.ResponseEvent;
import javax.sip.SipListener;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;

/** A SIP listener of the stack tests that takes requests only. */
interface RequestListener extends SipListener {
    @Override
    default void processResponse(ResponseEvent event) {
    }

    @Override
    default void processTimeout(TimeoutEvent event) {
    }

    @Override
    default void processIOException(IOExceptionEvent event) {
    }

    @Override
    default void processTransactionTerminated(TransactionTerminatedEvent event) {
    }

    @Override
    default void processDialogTerminated(DialogTerminatedEvent event) {
    }
}

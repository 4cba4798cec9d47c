package org.callibry.server.sip.internal;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPMessageValve;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.concurrent.atomic.AtomicReference;
import javax.sip.SipStack;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.ProxyRequireHeader;
import javax.sip.header.RequireHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks every request before the transaction layer sees it (RFC 3261 §8.2 and §16.3 validation) and
 * sheds load: answers 505 for another SIP version, 416 for a Request-URI scheme we cannot route, 400
 * for headers in the Request-URI, and 420 for extensions required of us (the raw-text checks are in
 * {@link StrictMessageParser}). It sheds load with 503 and Retry-After (RFC 3261 §21.5.4) when a new request
 * waited in the UDP queue longer than {@code callibry.sip.max-queue-delay} (the server is behind, whatever
 * the rate that put it there), and, if a fixed cap is configured, when more new requests arrive per second
 * than {@code callibry.sip.max-requests-per-second}. The UDP receiver itself drops datagrams of over-share
 * sources while the queue is behind ({@link gov.nist.javax.sip.stack.LeanUdpMessageProcessor}).
 */
public final class RequestValve implements SIPMessageValve {
    private static final Logger log = LoggerFactory.getLogger(RequestValve.class);

    /** Requests per second accepted before shedding; 0 = no limit. Set by {@link SipService}. */
    static volatile int maxPerSecond;
    /** New requests that waited longer than this in the UDP queue are refused; 0 = never. Set by {@link SipService}. */
    static volatile long maxQueueDelayMillis;
    private final AtomicReference<long[]> window = new AtomicReference<>(new long[] {0, 0});

    private volatile gov.nist.javax.sip.stack.SIPTransactionStack stack;

    @Override
    public void init(SipStack stack) {
        this.stack = stack instanceof gov.nist.javax.sip.stack.SIPTransactionStack s ? s : null;
    }

    @Override
    public void destroy() {
    }

    /** Per stack name: where a response that matches no client transaction goes (the proxy's stateless path). */
    private static final java.util.Map<String, java.util.function.Consumer<Response>> STRAYS = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Stray responses of the named stack go straight to {@code handler}: the RI would first compare them
     * with every client transaction in its table (a retransmitted 2xx under load walks thousands).
     */
    static void onStray(String stackName, java.util.function.Consumer<Response> handler) {
        if (handler == null) {
            STRAYS.remove(stackName);
        } else {
            STRAYS.put(stackName, handler);
        }
    }

    @Override
    public boolean processResponse(Response response, MessageChannel channel) {
        gov.nist.javax.sip.stack.SIPTransactionStack s = stack;
        if (s == null || !(response instanceof SIPResponse r) || !(s instanceof gov.nist.javax.sip.SipStackImpl impl)) {
            return true;
        }
        java.util.function.Consumer<Response> stray = STRAYS.get(impl.getStackName());
        String branch = r.getTopmostVia() == null ? null : r.getTopmostVia().getBranch();
        if (stray == null || !gov.nist.javax.sip.stack.LeanServerTransaction.rfc3261(branch)
                || s.findTransaction(r.getTransactionId(), false) != null) {
            return true; // the stack's own path: a transaction of ours, or a response we do not short-cut
        }
        try {
            stray.accept(response);
        } catch (RuntimeException e) {
            log.debug("Stray {} not forwarded: {}", response.getStatusCode(), e.getMessage());
        }
        return false;
    }

    @Override
    public boolean processRequest(SIPRequest request, MessageChannel channel) {
        String method = request.getMethod();
        if (Request.ACK.equals(method) || Request.CANCEL.equals(method)) {
            return true; // they complete or end transactions: never refused
        }
        if (request.getHeader(StrictMessageParser.VERSION_MARK) != null || !"SIP/2.0".equals(request.getRequestLine().getSipVersion())) {
            request.removeHeader(StrictMessageParser.VERSION_MARK);
            return refuse(request, channel, Response.VERSION_NOT_SUPPORTED, null); 
        }
        URI uri = request.getRequestURI();
        String scheme = uri.getScheme().toLowerCase();
        if (!(scheme.equals("sip") || scheme.equals("sips") || scheme.equals("tel"))) {
            return refuse(request, channel, Response.UNSUPPORTED_URI_SCHEME, null);
        }
        if (uri instanceof SipURI sip && sip.getHeaderNames() != null && sip.getHeaderNames().hasNext()) {
            return refuse(request, channel, Response.BAD_REQUEST, "Headers in Request-URI"); // RFC 3261 §19.1.1
        }
        List<String> unsupported = new ArrayList<>();
        ListIterator<?> proxyRequire = request.getHeaders(ProxyRequireHeader.NAME);
        while (proxyRequire != null && proxyRequire.hasNext()) {
            unsupported.add(((ProxyRequireHeader) proxyRequire.next()).getOptionTag());
        }
        if (Request.REGISTER.equals(method)) {
            ListIterator<?> require = request.getHeaders(RequireHeader.NAME);
            while (require != null && require.hasNext()) {
                unsupported.add(((RequireHeader) require.next()).getOptionTag());
            }
        }
        if (!unsupported.isEmpty()) {
            return refuse(request, channel, Response.BAD_EXTENSION, null, unsupported); // RFC 3261 §16.3 step 5
        }
        if (request.getToTag() == null && ((late() && !retransmission(request)) || overloaded())) {
            return refuse(request, channel, Response.SERVICE_UNAVAILABLE, "Overloaded");
        }
        return true;
    }

    /** A retransmission of a request whose transaction exists: the stack answers it from there, never 503. */
    private boolean retransmission(SIPRequest request) {
        gov.nist.javax.sip.stack.SIPTransactionStack s = stack;
        return s != null && s.findTransaction(request, true) != null;
    }

    /** True when the request this thread is on waited too long in the UDP queue. */
    private static boolean late() {
        long max = maxQueueDelayMillis;
        return max > 0 && gov.nist.javax.sip.stack.LeanUdpMessageProcessor.waitedMillis() > max;
    }

    /** True when this second already had {@link #maxPerSecond} new requests. */
    private boolean overloaded() {
        int max = maxPerSecond;
        if (max <= 0) {
            return false;
        }
        long second = System.currentTimeMillis() / 1000;
        long[] w = window.get();
        if (w[0] != second) {
            window.compareAndSet(w, new long[] {second, 0});
            w = window.get();
        }
        synchronized (w) {
            return ++w[1] > max;
        }
    }

    private static boolean refuse(SIPRequest request, MessageChannel channel, int code, String reason) {
        return refuse(request, channel, code, reason, List.of());
    }

    private static boolean refuse(SIPRequest request, MessageChannel channel, int code, String reason, List<String> unsupported) {
        try {
            SIPResponse response = request.createResponse(code);
            if (reason != null) {
                response.setReasonPhrase(reason);
            }
            for (String tag : unsupported) {
                response.addHeader(new gov.nist.javax.sip.header.Unsupported(tag));
            }
            if (code == Response.SERVICE_UNAVAILABLE) {
                response.addHeader(new gov.nist.javax.sip.header.RetryAfter());
                ((gov.nist.javax.sip.header.RetryAfter) response.getHeader("Retry-After")).setRetryAfter(5);
            }
            channel.sendMessage(response);
        } catch (IOException | RuntimeException | javax.sip.InvalidArgumentException e) {
            log.debug("Cannot answer {} to {}: {}", code, request.getMethod(), e.getMessage());
        }
        return false;
    }
}

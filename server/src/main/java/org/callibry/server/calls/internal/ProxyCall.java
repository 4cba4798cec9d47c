package org.callibry.server.calls.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sip.address.Hop;
import javax.sip.address.URI;
import javax.sip.header.CallIdHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.callibry.server.calls.CallEnded;
import org.callibry.server.routing.RouteTarget;

/**
 * One request the proxy forwards (RFC 3261 §16), as an explicit state machine with no sockets: the
 * {@link Downstream} it is given sends and schedules, so the same machine runs in the server and in
 * unit tests fed with wire bytes.
 *
 * <p>States: {@link State#CALLING} (branches out, nothing upstream yet) → {@link State#PROCEEDING} (a
 * provisional response went upstream) → {@link State#ANSWERED} (a 2xx went upstream) or
 * {@link State#COMPLETED} (the best final non-2xx, or our own answer, went upstream). Inputs:
 * {@link #start}, {@link #response}, {@link #branchTimedOut}, {@link #cancel} and the no-answer timer.
 * The rules, each at the line that implements it: parallel forking to every contact of a target
 * (§16.6), best-response selection (§16.7 step 6), every 2xx upstream (§16.7 step 5), CANCEL of the
 * other branches on a 2xx or 6xx (§16.7 step 10, §16.10), failover to the route's next target on the
 * configured failure classes, and the no-answer timer ({@code callibry.sip.no-answer-timeout}, in the
 * role of §16.8's Timer C). Every input runs under the call's lock.
 */
final class ProxyCall {

    enum State { CALLING, PROCEEDING, ANSWERED, COMPLETED }

    /** A request URI (and next hop, or null for the URI's own) that a target forks to. */
    record Fork(URI uri, Hop hop) {
    }

    /**
     * The forks of one target, or none with why (the code and reason the call answers if nothing better
     * comes).
     */
    record Forks(List<Fork> forks, int failureCode, String failureReason) {
        static Forks of(List<Fork> forks) {
            return new Forks(forks, 0, null);
        }

        static Forks none(int code, String reason) {
            return new Forks(List.of(), code, reason);
        }
    }

    /** Sending a request to a fork failed before it left: the answer it is worth. */
    static final class ForwardingFailed extends Exception {
        final int code;

        ForwardingFailed(int code, String reason) {
            super(reason);
            this.code = code;
        }
    }

    /** What the state machine asks of the SIP world: the proxy's transactions, or a test's recorder. */
    interface Downstream {
        /** Where a target's requests go: every registered contact of an account, a gateway, a media server. */
        Forks resolve(ProxyCall call, RouteTarget target);

        /** Forwards the request to one fork on a new client transaction; the branch carries it. */
        Branch send(ProxyCall call, RouteTarget target, Fork fork) throws ForwardingFailed;

        /** CANCEL on a branch that has not answered finally (RFC 3261 §9.1). */
        void cancel(Branch branch);

        /** A provisional response (101-199) or a 2xx, upstream. */
        void relay(ProxyCall call, Response response);

        /**
         * The final answer upstream: {@code best} (a copy with status {@code code}) when a branch gave one,
         * else our own response with {@code code} and {@code reason}.
         */
        void answer(ProxyCall call, Response best, int code, String reason);

        /** Runs {@code task} after {@code delay} unless the returned handle is run first (it cancels). */
        Runnable schedule(Duration delay, Runnable task);

        /** The first 2xx went upstream: the dialog is established on {@code branch}. */
        void answered(ProxyCall call, Branch branch, Response response);

        /** An initial INVITE ended without an answer. */
        void failed(ProxyCall call, CallEnded.Disposition disposition, int code, String reason);
    }

    /** One forked request: where it went and the transaction that carries it. */
    static final class Branch {
        final ProxyCall call;
        final String uri;
        final Hop hop;
        /** The client transaction (opaque here). */
        Object transaction;
        boolean done;

        Branch(ProxyCall call, String uri, Hop hop) {
            this.call = call;
            this.uri = uri;
            this.hop = hop;
        }
    }

    private enum Forced { NO_ANSWER, CANCELLED }

    final Object st;
    final Request request;
    /** An initial request (no To tag): routed, failed over, recorded; else an in-dialog request on one branch. */
    final boolean initial;
    final List<RouteTarget> targets;
    final String source;
    final String aNumber;
    final String bNumber;
    final Long tenantId;
    /** The call this request is a leg of: the id its events carry (the SIP Call-ID unless a media server names another). */
    final String call;
    final Instant startedAt = Instant.now();
    /** The call's media relay, when the forwarder anchors it (its state, not the machine's). */
    volatile MediaAnchor.Relayed relayed;

    private final Downstream downstream;
    private final List<Branch> branches = new ArrayList<>();
    private State state = State.CALLING;
    private int nextTarget;
    private RouteTarget target;
    private Response best;
    private int bestCode;
    private String bestReason;
    private Forced forced;
    private Runnable noAnswerTimer;
    private Instant answeredAt;
    private Response answer;
    private String destination;
    private final FailoverPolicy failover;

    /** Which final codes move on to the route's next target. */
    @FunctionalInterface
    interface FailoverPolicy {
        boolean failsOver(int code);
    }

    ProxyCall(Object st, Request request, boolean initial, List<RouteTarget> targets, String source, String aNumber,
              String bNumber, Long tenantId, Downstream downstream, FailoverPolicy failover) {
        this(st, request, initial, targets, source, aNumber, bNumber, tenantId, null, downstream, failover);
    }

    ProxyCall(Object st, Request request, boolean initial, List<RouteTarget> targets, String source, String aNumber,
              String bNumber, Long tenantId, String partOf, Downstream downstream, FailoverPolicy failover) {
        this.st = st;
        this.request = request;
        this.initial = initial;
        this.targets = targets;
        this.source = source;
        this.aNumber = aNumber;
        this.bNumber = bNumber;
        this.tenantId = tenantId;
        this.downstream = downstream;
        this.failover = failover;
        this.call = partOf != null ? partOf : callId();
    }

    boolean isInvite() {
        return Request.INVITE.equals(request.getMethod());
    }

    /** This leg's SIP Call-ID (the relay's and the dialogs' key). */
    String callId() {
        return ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId();
    }

    synchronized State state() {
        return state;
    }

    synchronized RouteTarget target() {
        return target;
    }

    /** The first 2xx, once answered. */
    synchronized Response answer() {
        return answer;
    }

    synchronized String destination() {
        return destination;
    }

    synchronized Instant answeredAt() {
        return answeredAt;
    }

    synchronized List<Branch> branches() {
        return List.copyOf(branches);
    }

    // ---------------------------------------------------------------- inputs

    /**
     * Sends to the first target that gets a branch out, else answers with the best failure; an initial
     * INVITE also starts the no-answer timer ({@code noAnswer}, or none when null).
     */
    synchronized void start(Duration noAnswer) {
        if (initial && isInvite() && noAnswer != null) {
            noAnswerTimer = downstream.schedule(noAnswer, this::noAnswer);
        }
        nextTarget();
    }

    /** Answers without trying any target (no route). */
    synchronized void refuse(int code, String reason) {
        bestCode = code;
        bestReason = reason;
        sendFinal();
    }

    /** An in-dialog request goes out on one branch made by the forwarder. */
    synchronized void forwarded(Branch branch) {
        branches.add(branch);
        destination = branch.uri;
    }

    /** A response on {@code branch}'s transaction. */
    synchronized void response(Branch branch, Response response) {
        int code = response.getStatusCode();
        if (code < 200) {
            if (code > 100 && !finalSent()) {
                state = State.PROCEEDING;
                downstream.relay(this, response); // RFC 3261 §16.7 step 5: provisionals go up, 100 stays here
            }
            return;
        }
        branch.done = true;
        if (code < 300) {
            downstream.relay(this, response); // every 2xx goes upstream, even from several forks (§16.7 step 5)
            if (!finalSent()) {
                state = State.ANSWERED;
                answeredAt = Instant.now();
                answer = response;
                destination = branch.uri;
                cancelBranches(branch); // §16.7 step 10
                stopTimer();
                downstream.answered(this, branch, response);
            }
            return;
        }
        if (finalSent()) {
            return;
        }
        if (best == null || better(code, best.getStatusCode())) {
            best = response;
            bestCode = code;
        }
        if (code >= 600) {
            cancelBranches(branch); // a 6xx ends the search (§16.7 step 5)
            sendFinal();
            return;
        }
        if (allDone()) {
            failover(code);
        }
    }

    /** Timer B or F fired on a branch: it counts as a 408 (RFC 3261 §16.8). */
    synchronized void branchTimedOut(Branch branch) {
        if (branch.done || finalSent()) {
            return;
        }
        branch.done = true;
        fail(Response.REQUEST_TIMEOUT, "No response from " + branch.uri);
        if (allDone()) {
            failover(Response.REQUEST_TIMEOUT);
        }
    }

    /**
     * CANCEL from the caller (RFC 3261 §16.10): CANCEL on every pending branch and 487 upstream; false
     * when a final answer already went up (the CANCEL then changes nothing).
     */
    synchronized boolean cancel() {
        if (finalSent()) {
            return false;
        }
        cancelBranches(null);
        forced = Forced.CANCELLED;
        best = null;
        bestCode = Response.REQUEST_TERMINATED;
        bestReason = null;
        sendFinal();
        return true;
    }

    /** The ring time is over: the branches are cancelled and the next target tried, as after a 408. */
    synchronized void noAnswer() {
        if (finalSent()) {
            return;
        }
        cancelBranches(null);
        branches.forEach(b -> b.done = true);
        best = null;
        bestCode = Response.TEMPORARILY_UNAVAILABLE;
        bestReason = "No answer";
        forced = Forced.NO_ANSWER;
        failover(Response.REQUEST_TIMEOUT);
    }

    // ---------------------------------------------------------------- transitions

    /** A final answer went upstream. */
    synchronized boolean answeredUpstream() {
        return finalSent();
    }

    private boolean finalSent() {
        return state == State.ANSWERED || state == State.COMPLETED;
    }

    private boolean allDone() {
        return branches.stream().allMatch(b -> b.done);
    }

    /** Tries targets from the next one until one gets at least one branch out; else answers. */
    private void nextTarget() {
        while (nextTarget < targets.size()) {
            RouteTarget t = targets.get(nextTarget++);
            target = t;
            branches.clear();
            Forks forks = downstream.resolve(this, t);
            if (forks.forks().isEmpty()) {
                fail(forks.failureCode(), forks.failureReason());
            }
            for (Fork f : forks.forks()) {
                try {
                    Branch b = downstream.send(this, t, f);
                    branches.add(b);
                    destination = b.uri;
                } catch (ForwardingFailed e) {
                    fail(e.code, e.getMessage());
                }
            }
            if (!branches.isEmpty()) {
                return;
            }
            if (!t.continueOnFailure()) {
                break;
            }
        }
        sendFinal();
    }

    /** After every branch of a target failed: the route's next target when it allows it, else the best answer. */
    private void failover(int code) {
        if (initial && target != null && target.continueOnFailure() && failover.failsOver(code) && nextTarget < targets.size()) {
            best = null;
            bestCode = 0;
            forced = null;
            nextTarget();
        } else {
            sendFinal();
        }
    }

    /** Records why a branch or target failed, when it is the best answer so far (§16.7 step 6). */
    private void fail(int code, String reason) {
        if (best == null && (bestCode == 0 || better(code, bestCode))) {
            bestCode = code;
            bestReason = reason;
        }
    }

    /** Sends the best final answer upstream (RFC 3261 §16.7 step 6) and ends the attempt. */
    private void sendFinal() {
        if (finalSent()) {
            return;
        }
        state = State.COMPLETED;
        stopTimer();
        cancelBranches(null);
        int code;
        String reason;
        if (best != null) {
            // §16.7 step 6: a 503 is not passed on (it would tell the caller this proxy is overloaded)
            code = best.getStatusCode() == Response.SERVICE_UNAVAILABLE ? Response.SERVER_INTERNAL_ERROR : best.getStatusCode();
            reason = code == best.getStatusCode() ? best.getReasonPhrase() : "Server Internal Error";
        } else {
            code = bestCode == 0 ? Response.TEMPORARILY_UNAVAILABLE : bestCode;
            reason = bestReason;
        }
        downstream.answer(this, best, code, reason);
        if (isInvite() && initial) {
            CallEnded.Disposition d = forced == Forced.CANCELLED ? CallEnded.Disposition.CANCELLED
                    : forced == Forced.NO_ANSWER ? CallEnded.Disposition.NO_ANSWER
                    : code == Response.BUSY_HERE || code == Response.BUSY_EVERYWHERE ? CallEnded.Disposition.BUSY
                    : code == Response.REQUEST_TIMEOUT || code == Response.TEMPORARILY_UNAVAILABLE && destination != null
                    ? CallEnded.Disposition.NO_ANSWER : CallEnded.Disposition.FAILED;
            downstream.failed(this, d, code, best != null ? code + " " + reason : reason == null ? code + "" : code + " " + reason);
        }
    }

    private void cancelBranches(Branch except) {
        if (!isInvite()) {
            return; // only INVITE transactions can be cancelled (RFC 3261 §9)
        }
        for (Branch b : branches) {
            if (b != except && !b.done && b.transaction != null) {
                b.done = true;
                downstream.cancel(b);
            }
        }
    }

    private void stopTimer() {
        if (noAnswerTimer != null) {
            noAnswerTimer.run();
            noAnswerTimer = null;
        }
    }

    /** The attempt's detail record, ended now with {@code disposition}. */
    CallEnded ended(CallEnded.Disposition disposition, int code, String reason) {
        RouteTarget t;
        String dest;
        Instant answered;
        synchronized (this) {
            t = target;
            dest = destination;
            answered = answeredAt;
        }
        return new CallEnded(call, aNumber, bNumber,
                t == null ? aNumber : t.callerId() != null ? t.callerId() : t.aNumber(),
                t == null ? bNumber : t.bNumber(), source, dest, t == null ? null : t.routeName(),
                tenantId, startedAt, answered, Instant.now(), disposition, code, reason);
    }

    /** RFC 3261 §16.7 step 6 ranking: any 6xx, else the lowest class. */
    static boolean better(int candidate, int current) {
        if (current >= 600) {
            return false;
        }
        if (candidate >= 600) {
            return true;
        }
        return candidate / 100 < current / 100;
    }
}

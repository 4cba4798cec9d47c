package org.callibry.server.calls.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sip.SipFactory;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.callibry.server.routing.Destination;
import org.callibry.server.routing.RouteTarget;
import org.callibry.server.calls.CallEnded;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The proxy core's state machine on wire bytes, without sockets: requests and responses are parsed from
 * their text, and a recording {@link ProxyCall.Downstream} stands in for the transactions. Scenarios:
 * <ul>
 *   <li>forking: every contact of a target gets a branch; provisionals go upstream, 100 does not;</li>
 *   <li>best response: the first 2xx wins and cancels the other branches; a later fork's 2xx still goes
 *       upstream; when all fail, the lowest class wins, a 6xx ends the search at once, a 503 goes up as 500;</li>
 *   <li>CANCEL races: CANCEL before any answer (487, branches cancelled), CANCEL after the 200 (nothing
 *       changes), a 200 after the CANCEL (passed upstream, not a dialog, recorded as cancelled once);</li>
 *   <li>failover: to the route's next target on a configured code, not on others, not when the route
 *       says stop; no contacts and unreachable forks count as failures;</li>
 *   <li>timers: the no-answer timer cancels the branches and answers 480, is stopped by an answer; a
 *       branch's transaction timeout counts as 408;</li>
 *   <li>no route: 403 at once.</li>
 * </ul>
 */
class ProxyCallTest {
    private static final String INVITE = """
            INVITE sip:1002@demo.test SIP/2.0\r
            Via: SIP/2.0/UDP 10.0.0.1:5062;branch=z9hG4bK-caller-1;rport\r
            Max-Forwards: 70\r
            From: <sip:1001@demo.test>;tag=caller\r
            To: <sip:1002@demo.test>\r
            Call-ID: call-1@10.0.0.1\r
            CSeq: 1 INVITE\r
            Contact: <sip:1001@10.0.0.1:5062>\r
            Content-Length: 0\r
            \r
            """;

    private MessageFactory messages;
    private Recorder down;
    private final Map<String, List<String>> contacts = new HashMap<>();

    @BeforeEach
    void setUp() throws Exception {
        SipFactory factory = SipFactory.getInstance();
        factory.setPathName("gov.nist");
        messages = factory.createMessageFactory();
        down = new Recorder();
        contacts.put("1002", List.of("sip:1002@10.0.0.2:5060", "sip:1002@10.0.0.3:5060"));
        contacts.put("gw1", List.of("sip:555@192.0.2.1"));
        contacts.put("gw2", List.of("sip:555@192.0.2.2"));
    }

    // ---------------------------------------------------------------- forking

    @Test
    void forksToEveryContactAndRelaysProvisionalsButNotTrying() throws Exception {
        ProxyCall call = start(target("1002", false));

        assertThat(down.log).containsExactly("send sip:1002@10.0.0.2:5060", "send sip:1002@10.0.0.3:5060");
        call.response(branch(call, 0), response(100, "Trying", null));
        call.response(branch(call, 1), response(180, "Ringing", "b"));

        assertThat(down.log).endsWith("relay 180");
        assertThat(down.log).doesNotContain("relay 100");
        assertThat(call.state()).isEqualTo(ProxyCall.State.PROCEEDING);
    }

    // ---------------------------------------------------------------- best response

    @Test
    void firstTwoHundredWinsAndCancelsTheOtherBranches() throws Exception {
        ProxyCall call = start(target("1002", false));

        call.response(branch(call, 1), response(200, "OK", "b"));

        assertThat(down.log).containsSubsequence("relay 200", "cancel sip:1002@10.0.0.2:5060", "answered sip:1002@10.0.0.3:5060");
        assertThat(down.log).doesNotContain("cancel sip:1002@10.0.0.3:5060");
        assertThat(call.state()).isEqualTo(ProxyCall.State.ANSWERED);
        assertThat(down.failures).isEmpty();
    }

    @Test
    void aLaterForksTwoHundredStillGoesUpstreamButIsNotTheCall() throws Exception {
        ProxyCall call = start(target("1002", false));
        call.response(branch(call, 1), response(200, "OK", "b"));
        down.log.clear();

        call.response(branch(call, 0), response(200, "OK", "a")); // RFC 3261 §16.7 step 5

        assertThat(down.log).containsExactly("relay 200");
        assertThat(call.answer().getHeader("To").toString()).contains("tag=b");
    }

    @Test
    void whenEveryBranchFailsTheLowestClassGoesUpstream() throws Exception {
        ProxyCall call = start(target("1002", false));

        call.response(branch(call, 0), response(503, "Service Unavailable", "a"));
        assertThat(down.answers).isEmpty();
        call.response(branch(call, 1), response(486, "Busy Here", "b"));

        assertThat(down.answers).containsExactly("486 Busy Here (from a branch)");
        assertThat(down.failures).containsExactly("BUSY 486 486 Busy Here");
        assertThat(call.state()).isEqualTo(ProxyCall.State.COMPLETED);
    }

    @Test
    void aSixHundredEndsTheSearchAtOnce() throws Exception {
        ProxyCall call = start(target("1002", false));

        call.response(branch(call, 0), response(603, "Decline", "a"));

        assertThat(down.log).contains("cancel sip:1002@10.0.0.3:5060");
        assertThat(down.answers).containsExactly("603 Decline (from a branch)");
        assertThat(down.failures).containsExactly("FAILED 603 603 Decline");
    }

    @Test
    void aFiveOhThreeIsPassedOnAsFiveHundred() throws Exception {
        ProxyCall call = start(target("gw1", false));

        call.response(branch(call, 0), response(503, "Service Unavailable", "g"));

        assertThat(down.answers).containsExactly("500 Server Internal Error (from a branch)"); // RFC 3261 §16.7 step 6
    }

    // ---------------------------------------------------------------- CANCEL races

    @Test
    void cancelBeforeAnyAnswerCancelsEveryBranchAndAnswers487() throws Exception {
        ProxyCall call = start(target("1002", false));
        call.response(branch(call, 0), response(180, "Ringing", "a"));

        assertThat(call.cancel()).isTrue();

        assertThat(down.log).contains("cancel sip:1002@10.0.0.2:5060", "cancel sip:1002@10.0.0.3:5060");
        assertThat(down.answers).containsExactly("487 null");
        assertThat(down.failures).containsExactly("CANCELLED 487 487");
    }

    @Test
    void cancelAfterTheTwoHundredChangesNothing() throws Exception {
        ProxyCall call = start(target("1002", false));
        call.response(branch(call, 0), response(200, "OK", "a"));
        down.log.clear();

        assertThat(call.cancel()).isFalse();

        assertThat(down.log).isEmpty();
        assertThat(down.answers).isEmpty();
        assertThat(call.state()).isEqualTo(ProxyCall.State.ANSWERED);
    }

    @Test
    void aTwoHundredAfterTheCancelGoesUpstreamButDoesNotMakeACall() throws Exception {
        ProxyCall call = start(target("1002", false));
        call.cancel();
        down.log.clear();

        call.response(branch(call, 0), response(200, "OK", "a")); // the callee answered as the CANCEL crossed

        assertThat(down.log).containsExactly("relay 200");
        assertThat(down.failures).containsExactly("CANCELLED 487 487");
        assertThat(call.state()).isEqualTo(ProxyCall.State.COMPLETED);
    }

    // ---------------------------------------------------------------- failover

    @Test
    void failsOverToTheNextTargetOnAConfiguredCode() throws Exception {
        ProxyCall call = start(target("gw1", true), target("gw2", false));

        call.response(branch(call, 0), response(503, "Service Unavailable", "g1"));

        assertThat(down.log).containsSubsequence("send sip:555@192.0.2.1", "send sip:555@192.0.2.2");
        assertThat(down.answers).isEmpty();
        call.response(branch(call, 0), response(200, "OK", "g2"));
        assertThat(call.destination()).isEqualTo("sip:555@192.0.2.2");
        assertThat(call.target().routeName()).isEqualTo("gw2");
    }

    @Test
    void doesNotFailOverOnACodeThatIsNotConfigured() throws Exception {
        ProxyCall call = start(target("gw1", true), target("gw2", false));

        call.response(branch(call, 0), response(486, "Busy Here", "g1"));

        assertThat(down.log).doesNotContain("send sip:555@192.0.2.2");
        assertThat(down.answers).containsExactly("486 Busy Here (from a branch)");
    }

    @Test
    void doesNotFailOverWhenTheRouteSaysStop() throws Exception {
        ProxyCall call = start(target("gw1", false), target("gw2", false));

        call.response(branch(call, 0), response(503, "Service Unavailable", "g1"));

        assertThat(down.log).doesNotContain("send sip:555@192.0.2.2");
        assertThat(down.answers).containsExactly("500 Server Internal Error (from a branch)");
    }

    @Test
    void aTargetWithoutContactsIsSkippedToTheNext() throws Exception {
        contacts.put("1009", List.of());
        ProxyCall call = start(target("1009", true), target("gw2", false));

        assertThat(down.log).containsExactly("send sip:555@192.0.2.2");
        assertThat(call.state()).isEqualTo(ProxyCall.State.CALLING);
    }

    @Test
    void aTargetWithoutContactsAnswersWhyWhenItIsTheLast() throws Exception {
        contacts.put("1009", List.of());
        start(target("1009", false));

        assertThat(down.answers).containsExactly("480 Not registered");
        assertThat(down.failures).containsExactly("FAILED 480 480 Not registered");
    }

    @Test
    void anUnreachableForkCountsAsAFailure() throws Exception {
        down.unreachable.add("sip:555@192.0.2.1");
        start(target("gw1", false));

        assertThat(down.answers).containsExactly("503 Cannot reach sip:555@192.0.2.1");
    }

    // ---------------------------------------------------------------- timers

    @Test
    void theNoAnswerTimerCancelsTheBranchesAndAnswers480() throws Exception {
        ProxyCall call = start(target("1002", false));
        assertThat(down.timers).hasSize(1);

        down.timers.getFirst().run();

        assertThat(down.log).contains("cancel sip:1002@10.0.0.2:5060", "cancel sip:1002@10.0.0.3:5060");
        assertThat(down.answers).containsExactly("480 No answer");
        assertThat(down.failures).containsExactly("NO_ANSWER 480 480 No answer");
        assertThat(call.state()).isEqualTo(ProxyCall.State.COMPLETED);
    }

    @Test
    void theNoAnswerTimerMovesOnToTheNextTarget() throws Exception {
        ProxyCall call = start(target("gw1", true), target("gw2", false));

        down.timers.getFirst().run(); // counts as a 408, which fails over

        assertThat(down.log).containsSubsequence("cancel sip:555@192.0.2.1", "send sip:555@192.0.2.2");
        assertThat(call.state()).isEqualTo(ProxyCall.State.CALLING);
    }

    @Test
    void anAnswerStopsTheNoAnswerTimer() throws Exception {
        ProxyCall call = start(target("1002", false));

        call.response(branch(call, 0), response(200, "OK", "a"));

        assertThat(down.stoppedTimers).isEqualTo(1);
    }

    @Test
    void aBranchTimeoutCountsAs408() throws Exception {
        ProxyCall call = start(target("gw1", false));

        call.branchTimedOut(branch(call, 0));

        assertThat(down.answers).containsExactly("408 No response from sip:555@192.0.2.1");
        assertThat(down.failures).containsExactly("NO_ANSWER 408 408 No response from sip:555@192.0.2.1");
    }

    @Test
    void aBranchTimeoutAfterItsAnswerIsIgnored() throws Exception {
        ProxyCall call = start(target("gw1", false));
        call.response(branch(call, 0), response(200, "OK", "g"));

        call.branchTimedOut(branch(call, 0));

        assertThat(down.answers).isEmpty();
        assertThat(call.state()).isEqualTo(ProxyCall.State.ANSWERED);
    }

    // ---------------------------------------------------------------- no route

    @Test
    void noRouteIsRefusedAtOnce() throws Exception {
        ProxyCall call = new ProxyCall(null, request(), true, List.of(), "10.0.0.1:5062", "1001", "1002", 1L, down, code -> true);

        call.refuse(Response.FORBIDDEN, "No route");

        assertThat(down.answers).containsExactly("403 No route");
        assertThat(down.failures).containsExactly("FAILED 403 403 No route");
        assertThat(down.log).isEmpty();
    }

    // ---------------------------------------------------------------- helpers

    private ProxyCall start(RouteTarget... targets) throws ParseException {
        ProxyCall call = new ProxyCall(null, request(), true, List.of(targets), "10.0.0.1:5062", "1001", "1002", 1L, down,
                code -> code / 100 == 5 || code == 408);
        call.start(Duration.ofSeconds(60));
        return call;
    }

    private Request request() throws ParseException {
        return messages.createRequest(INVITE);
    }

    private Response response(int code, String reason, String toTag) throws ParseException {
        return messages.createResponse("""
                SIP/2.0 %d %s\r
                Via: SIP/2.0/UDP 10.0.0.1:5062;branch=z9hG4bK-caller-1;rport=5062\r
                From: <sip:1001@demo.test>;tag=caller\r
                To: <sip:1002@demo.test>%s\r
                Call-ID: call-1@10.0.0.1\r
                CSeq: 1 INVITE\r
                Content-Length: 0\r
                \r
                """.formatted(code, reason, toTag == null ? "" : ";tag=" + toTag));
    }

    private static ProxyCall.Branch branch(ProxyCall call, int index) {
        return call.branches().get(index);
    }

    /** A target named after its contacts' key (a route name); {@code next}: continue with the next target on failure. */
    private static RouteTarget target(String name, boolean next) {
        Destination d = name.startsWith("gw") ? new Destination.Gateway("192.0.2.1", 0, null) : new Destination.LocalAccount();
        return new RouteTarget(1, name, "1001", name, d, false, false, null, next, null);
    }

    /** Records what the machine asks for, in order. */
    private final class Recorder implements ProxyCall.Downstream {
        final List<String> log = new ArrayList<>();
        final List<String> answers = new ArrayList<>();
        final List<String> failures = new ArrayList<>();
        final List<Runnable> timers = new ArrayList<>();
        final List<String> unreachable = new ArrayList<>();
        int stoppedTimers;

        @Override
        public ProxyCall.Forks resolve(ProxyCall call, RouteTarget target) {
            List<String> uris = contacts.get(target.routeName());
            if (uris.isEmpty()) {
                return ProxyCall.Forks.none(Response.TEMPORARILY_UNAVAILABLE, "Not registered");
            }
            List<ProxyCall.Fork> forks = new ArrayList<>();
            for (String u : uris) {
                try {
                    forks.add(new ProxyCall.Fork(SipFactory.getInstance().createAddressFactory().createURI(u), null));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            return ProxyCall.Forks.of(forks);
        }

        @Override
        public ProxyCall.Branch send(ProxyCall call, RouteTarget target, ProxyCall.Fork fork) throws ProxyCall.ForwardingFailed {
            String uri = fork.uri().toString();
            if (unreachable.contains(uri)) {
                throw new ProxyCall.ForwardingFailed(Response.SERVICE_UNAVAILABLE, "Cannot reach " + uri);
            }
            log.add("send " + uri);
            ProxyCall.Branch b = new ProxyCall.Branch(call, uri, null);
            b.transaction = new Object();
            return b;
        }

        @Override
        public void cancel(ProxyCall.Branch branch) {
            log.add("cancel " + branch.uri);
        }

        @Override
        public void relay(ProxyCall call, Response response) {
            log.add("relay " + response.getStatusCode());
        }

        @Override
        public void answer(ProxyCall call, Response best, int code, String reason) {
            answers.add(code + " " + reason + (best != null ? " (from a branch)" : ""));
        }

        @Override
        public Runnable schedule(Duration delay, Runnable task) {
            timers.add(task);
            return () -> stoppedTimers++;
        }

        @Override
        public void answered(ProxyCall call, ProxyCall.Branch branch, Response response) {
            log.add("answered " + branch.uri);
        }

        @Override
        public void failed(ProxyCall call, CallEnded.Disposition disposition, int code, String reason) {
            failures.add(disposition + " " + code + " " + reason);
        }
    }
}

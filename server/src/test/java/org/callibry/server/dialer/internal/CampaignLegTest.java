package org.callibry.server.dialer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.callibry.server.calls.CallSession;
import org.callibry.server.calls.ForwardingCallSession;
import org.junit.jupiter.api.Test;

/**
 * An answered campaign call as the queue or IVR application sees it. Scenarios: identity as the
 * application sees it (the callee as caller, the service, the attempt's call id, the variables); an agent
 * bridged before the 2 s keeps the call; no agent in time: the application sees the caller leave and can
 * no longer play to it, hang it up or bridge an agent (who is hung up instead); a refusal detaches the leg
 * and tells the dialer once; the real leg ending ends the view once; the media server's unwrap.
 */
class CampaignLegTest {

    /** A leg without SIP that records what is done to it. */
    static final class Leg implements CallSession {
        final List<Listener> listeners = new CopyOnWriteArrayList<>();
        final List<String> log = new ArrayList<>();
        volatile boolean ended;

        @Override public String id() { return "leg"; }
        @Override public String callId() { return "sip-call-id"; }
        @Override public String caller() { return "1001"; }
        @Override public String called() { return "89001234567"; }
        @Override public String serviceName() { return ""; }
        @Override public Long tenantId() { return 1L; }
        @Override public void answer() { log.add("answer"); }
        @Override public void reject(int code, String reason) { log.add("reject " + code); }
        @Override public void play(List<short[]> prompts, boolean loop, boolean interruptible) { log.add("play"); }
        @Override public void stopPlayback() { log.add("stop"); }
        @Override public void echo(boolean on) { }
        @Override public CompletableFuture<String> collectDigits(int max, Duration first, Duration inter, String terminators) {
            return CompletableFuture.completedFuture("");
        }
        @Override public CompletableFuture<Path> record(Path wav, Duration max, String stopDigits) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException());
        }
        @Override public void bridge(CallSession other) { log.add("bridge " + other.id()); }
        @Override public void unbridge() { }
        @Override public void hear(CallSession other, boolean on) { }
        @Override public void transfer(String targetUri) { }
        @Override public void hangup(String reason) {
            log.add("hangup " + reason);
            end(reason);
        }
        @Override public boolean active() { return !ended; }
        @Override public void addListener(Listener listener) { listeners.add(listener); }

        void end(String reason) {
            if (!ended) {
                ended = true;
                listeners.forEach(l -> l.ended(this, reason));
            }
        }
    }

    /** An application's view of the call: what it heard. */
    static final class Seen implements CallSession.Listener {
        final List<String> events = new ArrayList<>();

        @Override
        public void ended(CallSession s, String reason) {
            events.add("ended " + reason + " " + s.getClass().getSimpleName());
        }
    }

    final Leg real = new Leg();
    final List<String> bridges = new ArrayList<>();
    final List<String> refusals = new ArrayList<>();
    final CampaignLeg leg = new CampaignLeg(real, "17", "dialer-3-9-1-ab", Map.of("balance", "125.50"), () -> bridges.add("agent"),
            refusals::add);
    final Seen app = new Seen();

    @Test
    void looksLikeACallerOfTheService() {
        assertThat(leg.caller()).isEqualTo("89001234567");
        assertThat(leg.called()).isEqualTo("1001");
        assertThat(leg.serviceName()).isEqualTo("17");
        assertThat(leg.callId()).isEqualTo("dialer-3-9-1-ab");
        assertThat(leg.variables()).containsEntry("balance", "125.50");
        assertThat(ForwardingCallSession.unwrap(leg)).isSameAs(real);
    }

    @Test
    void anAgentBridgedInTimeKeepsTheCall() {
        leg.addListener(app);
        Leg agent = new Leg();
        leg.bridge(agent);
        assertThat(bridges).containsExactly("agent");
        assertThat(leg.abandonUnlessBridged("no agent within 2 s")).isFalse();
        assertThat(app.events).isEmpty();
        assertThat(real.log).containsExactly("bridge leg");
    }

    @Test
    void noAgentInTimeTakesTheCallBackFromTheApplication() {
        leg.addListener(app);
        assertThat(leg.abandonUnlessBridged("no agent within 2 s")).isTrue();
        assertThat(app.events).containsExactly("ended no agent within 2 s CampaignLeg");
        assertThat(leg.active()).isFalse();
        assertThat(real.active()).isTrue();
        leg.play(List.of(), true, false);
        leg.hangup("queue stopped");
        Leg agent = new Leg();
        leg.bridge(agent);
        assertThat(real.log).isEmpty();
        assertThat(agent.log).containsExactly("hangup the call was abandoned");
        assertThat(bridges).isEmpty();
        real.end("BYE");
        assertThat(app.events).hasSize(1);
    }

    @Test
    void aRefusalDetachesTheLegAndTellsTheDialerOnce() {
        leg.addListener(app);
        leg.reject(404, "No such queue");
        leg.reject(486, "again");
        assertThat(refusals).containsExactly("404 No such queue");
        assertThat(app.events).containsExactly("ended 404 No such queue CampaignLeg");
        assertThat(real.log).isEmpty();
    }

    @Test
    void theRealLegEndingEndsTheViewOnce() {
        leg.addListener(app);
        real.end("BYE");
        real.end("BYE");
        assertThat(app.events).containsExactly("ended BYE CampaignLeg");
        assertThat(leg.abandonUnlessBridged("late")).isFalse();
    }
}

package org.callibry.server.dialer.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.callibry.server.calls.CallSession;
import org.callibry.server.calls.ForwardingCallSession;

/**
 * An answered campaign call as the queue or IVR application sees it: the callee is the "caller"
 * (the queue shows and offers its number), the service is the campaign's queue or scenario, the call id
 * is the attempt's (so the agent's leg and the detail records are one call), and the number's CSV
 * columns are {@link #variables()}. The dialer can {@link #detach} it: the application then sees the
 * caller hang up (a predictive call no agent took within 2 s) while the dialer keeps the real leg to
 * play the abandon message. It also tells the dialer when an agent is connected ({@link #bridge}) and when
 * the application refuses the call ({@link #reject}).
 */
final class CampaignLeg extends ForwardingCallSession {
    private final String serviceName;
    private final String callId;
    private final Map<String, String> variables;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Runnable onBridge;
    private final java.util.function.Consumer<String> onRefused;
    private volatile boolean detached;
    private volatile boolean bridged;

    CampaignLeg(CallSession answered, String serviceName, String callId, Map<String, String> variables, Runnable onBridge,
                java.util.function.Consumer<String> onRefused) {
        super(answered);
        this.serviceName = serviceName;
        this.callId = callId;
        this.variables = Map.copyOf(variables);
        this.onBridge = onBridge;
        this.onRefused = onRefused;
        answered.addListener(new Listener() {
            @Override
            public void digit(CallSession s, char digit) {
                if (!detached) {
                    listeners.forEach(l -> l.digit(CampaignLeg.this, digit));
                }
            }

            @Override
            public void playbackFinished(CallSession s) {
                if (!detached) {
                    listeners.forEach(l -> l.playbackFinished(CampaignLeg.this));
                }
            }

            @Override
            public void ended(CallSession s, String reason) {
                detach(reason);
            }
        });
    }

    /** The callee, whom the queue's agents see and the IVR greets. */
    @Override
    public String caller() {
        return delegate().called();
    }

    /** The campaign's caller ID. */
    @Override
    public String called() {
        return delegate().caller();
    }

    @Override
    public String serviceName() {
        return serviceName;
    }

    @Override
    public String callId() {
        return callId;
    }

    @Override
    public Map<String, String> variables() {
        return variables;
    }

    @Override
    public boolean active() {
        return !detached && delegate().active();
    }

    /**
     * An answered leg cannot be refused: a queue (full, closed) or a scenario (missing) that refuses it lets
     * go of it, and the dialer decides what the callee hears.
     */
    @Override
    public void reject(int code, String reason) {
        String why = code + " " + (reason == null ? "" : reason);
        if (detach(why)) {
            onRefused.accept(why);
        }
    }

    @Override
    public void play(List<short[]> prompts, boolean loop, boolean interruptible) {
        if (!detached) {
            delegate().play(prompts, loop, interruptible);
        }
    }

    @Override
    public void stopPlayback() {
        if (!detached) {
            delegate().stopPlayback();
        }
    }

    /** An agent is connected; one that answers after the call was abandoned is hung up. */
    @Override
    public void bridge(CallSession other) {
        synchronized (this) {
            if (!detached) {
                delegate().bridge(other);
                bridged = true;
            }
        }
        if (bridged) {
            onBridge.run();
        } else {
            other.hangup("the call was abandoned");
        }
    }

    @Override
    public void hangup(String reason) {
        if (!detached) {
            delegate().hangup(reason);
        }
    }

    @Override
    public void transfer(String targetUri) {
        if (!detached) {
            delegate().transfer(targetUri);
        }
    }

    @Override
    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    boolean bridged() {
        return bridged;
    }

    /** Detaches the leg (see {@link #detach}) unless an agent was connected; true when it did. */
    boolean abandonUnlessBridged(String reason) {
        synchronized (this) {
            if (bridged) {
                return false;
            }
        }
        return detach(reason);
    }

    /**
     * The application sees this leg end with {@code reason} and no longer drives it (once); the real leg
     * stays as it is. Returns false when it had ended or been detached already.
     */
    boolean detach(String reason) {
        synchronized (this) {
            if (detached) {
                return false;
            }
            detached = true;
        }
        for (Listener l : listeners) {
            try {
                l.ended(this, reason);
            } catch (RuntimeException e) {
                // a listener of the application must not keep the others from hearing the end
            }
        }
        return true;
    }
}

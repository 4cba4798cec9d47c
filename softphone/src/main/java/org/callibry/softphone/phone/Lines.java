package org.callibry.softphone.phone;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.callibry.softphone.settings.ServerAddress;
import org.callibry.softphone.settings.Settings;
import org.callibry.softphone.sip.Call;
import org.callibry.softphone.sip.CallMedia;
import org.callibry.softphone.sip.CallState;
import org.callibry.softphone.sip.InstantMessage;
import org.callibry.softphone.sip.SoftphoneAccount;
import org.callibry.softphone.sip.TlsTrust;
import org.callibry.softphone.sip.Transport;
import org.callibry.softphone.sip.UserAgent;
import org.callibry.softphone.sip.UserAgentListener;

/**
 * The phone's lines: one SIP {@link UserAgent} per account, all registered at the same time; which
 * line each call is on, and the line outgoing calls and messages use. Replacing the lines keeps a
 * registered line whose account did not change, so that its calls go on.
 */
final class Lines {
    /** What the phone hears of the calls on its lines, on the line's event thread. */
    interface CallEvents {
        void incomingCall(Call call);

        void callStateChanged(Call call, CallState state);

        void mediaChanged(Call call, CallMedia media);
    }

    /** One registered account: its user agent and where its registration is. */
    final class Line implements UserAgentListener {
        final String label;
        final Settings.Account account;
        final String stunServer;
        final UserAgent agent;
        volatile Phone.AccountStatus status;

        Line(Settings.Account account, Settings s) {
            this.label = account.label();
            this.account = account;
            this.stunServer = s.stunServer();
            this.status = new Phone.AccountStatus(label, Phone.Registration.UNREGISTERED, null);
            ServerAddress server = ServerAddress.parse(account.server());
            Transport transport = Transport.valueOf(account.transport().toUpperCase(Locale.ROOT));
            SoftphoneAccount sip = new SoftphoneAccount(server.host(), server.port(), transport, account.user(), account.password(), null,
                    account.displayName(), null, s.stunServer().isBlank() ? null : s.stunServer(),
                    s.tlsFingerprint().isBlank() ? null : TlsTrust.fingerprint(s.tlsFingerprint()));
            this.agent = new UserAgent(sip, this);
        }

        void start() {
            try {
                agent.start();
                agent.register();
            } catch (IOException | RuntimeException e) {
                registered(Phone.Registration.FAILED, e.getMessage());
            }
        }

        private void registered(Phone.Registration state, String reason) {
            status = new Phone.AccountStatus(label, state, reason);
            listeners.forEach(l -> l.registration(label, state, reason));
        }

        @Override
        public void registrationChanged(org.callibry.softphone.sip.Registration r) {
            registered(Phone.Registration.valueOf(r.state().name()), r.reason());
        }

        @Override
        public void incomingCall(Call call) {
            lineOf.put(call, this);
            events.incomingCall(call);
        }

        @Override
        public void callStateChanged(Call call, CallState state) {
            lineOf.putIfAbsent(call, this);
            events.callStateChanged(call, state);
        }

        @Override
        public void mediaChanged(Call call, CallMedia media) {
            events.mediaChanged(call, media);
        }

        @Override
        public void messageReceived(InstantMessage m) {
            listeners.forEach(l -> l.message(m.peer(), m.displayName(), m.text()));
        }
    }

    private final List<Phone.Listener> listeners;
    private final CallEvents events;
    private volatile List<Line> lines = List.of();
    /** The line of every call not yet ended (an ended call is no longer in its agent's list). */
    private final Map<Call, Line> lineOf = new ConcurrentHashMap<>();
    /** The line outgoing calls and messages use (the first one unless the operator chose another). */
    private volatile Line outgoing;
    /** The account the operator chose for outgoing calls, kept while the lines are replaced. */
    private volatile String chosen;

    Lines(List<Phone.Listener> listeners, CallEvents events) {
        this.listeners = listeners;
        this.events = events;
    }

    /** Registers every account of {@code s}; the lines registered before and not kept are closed first. */
    void replace(Settings s) {
        List<Line> old = lines;
        String chosen = this.chosen;
        // a registered line whose account did not change stays as it is (its calls go on); the others are new
        List<Line> fresh = new ArrayList<>();
        List<Line> kept = new ArrayList<>();
        List<Line> started = new ArrayList<>();
        for (Settings.Account a : s.accounts()) {
            if (a.user().isBlank() || a.server().isBlank()) {
                continue;
            }
            Line same = old.stream().filter(l -> l.account.equals(a) && l.stunServer.equals(s.stunServer())
                    && l.status.state() == Phone.Registration.REGISTERED && !kept.contains(l)).findFirst().orElse(null);
            if (same != null) {
                kept.add(same);
                fresh.add(same);
                continue;
            }
            try {
                Line l = new Line(a, s);
                fresh.add(l);
                started.add(l);
            } catch (RuntimeException e) { // a bad server address or transport: this line only
                listeners.forEach(l -> l.registration(a.label(), Phone.Registration.FAILED, e.getMessage()));
            }
        }
        closeAll(old.stream().filter(l -> !kept.contains(l)).toList());
        lines = List.copyOf(fresh);
        // the line chosen for outgoing calls stays chosen when it is still there
        outgoing = fresh.stream().filter(l -> l.label.equals(chosen)).findFirst().orElse(fresh.isEmpty() ? null : fresh.getFirst());
        kept.forEach(l -> listeners.forEach(x -> x.registration(l.label, l.status.state(), l.status.reason())));
        started.forEach(Line::start);
    }

    /** Unregisters and stops every line (waiting for that); none is left. */
    void close() {
        List<Line> old = lines;
        lines = List.of();
        outgoing = null;
        closeAll(old);
    }

    /** Unregisters and stops these lines, all at once (each may wait a few seconds for its server). */
    private static void closeAll(List<Line> closing) {
        List<Thread> threads = closing.stream().map(l -> Thread.ofVirtual().start(l.agent::close)).toList();
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    List<Phone.AccountStatus> status() {
        return lines.stream().map(l -> l.status).toList();
    }

    void use(String account) {
        chosen = account; // also when the lines are being replaced: the new ones honour it
        lines.stream().filter(l -> l.label.equals(account)).findFirst().ifPresent(l -> outgoing = l);
    }

    /** The line outgoing calls and messages use, or null when there is none. */
    Line outgoing() {
        return outgoing;
    }

    /** Every call on every line. */
    List<Call> calls() {
        return lines.stream().flatMap(l -> l.agent.calls().stream()).toList();
    }

    /** The line {@code call} is on. */
    Line lineOf(Call call) {
        return lineOf.getOrDefault(call, outgoing);
    }

    /** Forgets an ended call's line (once its last event, which names the line, went out). */
    void forget(Call call) {
        lineOf.remove(call);
    }

    /** A new call to {@code target} on {@code line}, known as the line's from the start. */
    Call callFrom(Line line, String target) {
        Call c = line.agent.call(target);
        lineOf.put(c, line);
        return c;
    }

    Optional<String> refusedCertificate() {
        return lines.stream().map(l -> l.agent.refusedCertificate()).flatMap(Optional::stream).findFirst();
    }
}

package org.callibry.server.calls.internal;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import javax.sip.ClientTransaction;
import javax.sip.ServerTransaction;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.callibry.server.calls.MediaServers;
import org.callibry.server.calls.ServiceNumbers;
import org.callibry.server.relay.MediaRelay;
import org.callibry.server.relay.MediaStopped;
import org.callibry.server.routing.CallRouting;
import org.callibry.server.sip.core.DigestAuthenticator;
import org.callibry.server.sip.core.CallHandler;
import org.callibry.server.sip.core.Location;
import org.callibry.server.sip.core.Peers;
import org.callibry.server.sip.core.Sip;
import org.callibry.server.sip.core.SipAccounts;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The call side plugged into the SIP stack: builds the {@link Proxy} when the stack starts (with the
 * relay and the media servers when this process has them) and hands it the stack's requests,
 * responses and timeouts; ends silent answered calls when the relay reports {@link MediaStopped}.
 */
@Component
class CallService implements CallHandler {
    private final SipAccounts accounts;
    private final Location location;
    private final Peers peers;
    private final CallRouting routing;
    private final CallProperties properties;
    private final ApplicationEventPublisher events;
    private final MediaRelay relay;
    private final MediaServers mediaServers;
    private final ObjectProvider<ServiceNumbers> numbers;
    private volatile Proxy proxy;
    private volatile ScheduledExecutorService timers;

    CallService(SipAccounts accounts, Location location, Peers peers, CallRouting routing, CallProperties properties,
                ApplicationEventPublisher events, ObjectProvider<MediaRelay> relay, ObjectProvider<MediaServers> mediaServers,
                ObjectProvider<ServiceNumbers> numbers) {
        this.numbers = numbers;
        this.accounts = accounts;
        this.location = location;
        this.peers = peers;
        this.routing = routing;
        this.properties = properties;
        this.events = events;
        this.relay = relay.getIfAvailable();
        this.mediaServers = mediaServers.getIfAvailable();
    }

    @Override
    public void started(Sip sip, DigestAuthenticator auth) {
        timers = Executors.newScheduledThreadPool(1, Thread.ofPlatform().name("call-timers").daemon().factory());
        proxy = new Proxy(sip, accounts, location, auth, routing, peers, properties, events, timers,
                new MediaAnchor(relay, sip.headers), mediaServers, numbers.orderedStream().toList());
    }

    @Override
    public void request(ServerTransaction st, Request request) {
        proxy.request(st, request);
    }

    @Override
    public void cancel(ServerTransaction st, Request request) {
        proxy.cancel(st, request);
    }

    @Override
    public void ack(Request request) {
        proxy.ack(request);
    }

    @Override
    public void response(ClientTransaction ct, Response response) {
        proxy.response(ct, response);
    }

    @Override
    public void timeout(ClientTransaction ct) {
        proxy.timeout(ct);
    }

    @Override
    public void housekeeping() {
        Proxy p = proxy;
        if (p != null) {
            p.dialogs().expire();
        }
    }

    @Override
    public void stopped() {
        ScheduledExecutorService t = timers;
        timers = null;
        proxy = null;
        if (t != null) {
            t.shutdownNow();
        }
    }

    /** The relay reports a call's media silent: an answered call is ended (BYE to both parties). */
    @EventListener
    void on(MediaStopped event) {
        Proxy p = proxy;
        if (p != null) {
            p.dialogs().mediaStopped(event.callId(), event.idleSeconds());
        }
    }
}

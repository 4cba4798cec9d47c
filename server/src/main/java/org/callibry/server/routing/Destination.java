package org.callibry.server.routing;

/** Where a matching route sends the call. */
public sealed interface Destination {

    /** Look the (rewritten) B-number up among the registered accounts of the called domain. */
    record LocalAccount() implements Destination {
    }

    /**
     * A gateway or any SIP URI: the request goes to {@code sip:<rewritten B>@host:port;transport=...}.
     *
     * @param host      a host name, an IPv4 address, or an IPv6 reference in brackets ({@code [2001:db8::1]}),
     *                  as it goes into the URI (RFC 3261 §25.1)
     * @param port      0 for the default port
     * @param transport {@code udp}, {@code tcp}, {@code tls}, or null for the default
     */
    record Gateway(String host, int port, String transport) implements Destination {
    }

    /** A media application of this system; {@code name} picks the queue, IVR, dialer campaign, ... */
    record MediaService(Kind kind, String name) implements Destination {
        public enum Kind { QUEUE, IVR, DIALER, VOICEMAIL, ECHO, MUSIC_ON_HOLD }
    }
}

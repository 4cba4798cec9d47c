package org.callibry.softphone.sip;

import java.util.Locale;

/** The SIP transport to the server (RFC 3261 §18), with its default port. */
public enum Transport {
    UDP(5060), TCP(5060), TLS(5061);

    private final int defaultPort;

    Transport(int defaultPort) {
        this.defaultPort = defaultPort;
    }

    public int defaultPort() {
        return defaultPort;
    }

    /** The name JAIN-SIP and the {@code transport} URI parameter use. */
    public String sipName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code udp}, {@code TCP}, {@code tls}... case-insensitively. */
    public static Transport parse(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }
}

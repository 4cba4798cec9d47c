package org.callibry.softphone.sip;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The settings of one SIP account of the softphone.
 *
 * @param serverHost     the server (registrar and outbound proxy) host name or address
 * @param serverPort     its port, e.g. 5060 (UDP/TCP) or 5061 (TLS)
 * @param transport      UDP, TCP or TLS
 * @param user           the account number (user part of the address of record and digest user name)
 * @param password       the digest password
 * @param domain         the SIP domain (host part of the address of record, the digest realm the server uses)
 * @param displayName    shown to the called party; may be empty
 * @param registerExpiry the registration lifetime asked for; the phone re-registers at 80 % of what the server grants
 * @param stunServer     {@code host[:port]} of a STUN server (RFC 5389), or null: when set, SDP carries the address
 *                       it sees each call's RTP socket as (Contact and Via stay local; rport covers signaling)
 * @param tlsTrust       how the server's certificate is trusted (TLS only)
 */
public record SoftphoneAccount(String serverHost, int serverPort, Transport transport, String user, String password,
                               String domain, String displayName, Duration registerExpiry, String stunServer,
                               TlsTrust tlsTrust) {
    public SoftphoneAccount {
        Objects.requireNonNull(serverHost, "serverHost");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(user, "user");
        password = password == null ? "" : password;
        domain = domain == null || domain.isBlank() ? serverHost : domain;
        displayName = displayName == null ? "" : displayName;
        registerExpiry = registerExpiry == null ? Duration.ofSeconds(600) : registerExpiry;
        tlsTrust = tlsTrust == null ? TlsTrust.systemDefault() : tlsTrust;
        if (serverPort <= 0) {
            serverPort = transport.defaultPort();
        }
    }

    /** An account with defaults: 600 s registrations, no STUN, the JDK's trust store. */
    public static SoftphoneAccount of(String serverHost, int serverPort, Transport transport, String user, String password,
                                      String domain) {
        return new SoftphoneAccount(serverHost, serverPort, transport, user, password, domain, "", null, null, null);
    }

    public SoftphoneAccount withTlsTrust(TlsTrust trust) {
        return new SoftphoneAccount(serverHost, serverPort, transport, user, password, domain, displayName, registerExpiry,
                stunServer, trust);
    }

    public SoftphoneAccount withPassword(String newPassword) {
        return new SoftphoneAccount(serverHost, serverPort, transport, user, newPassword, domain, displayName,
                registerExpiry, stunServer, tlsTrust);
    }

    public SoftphoneAccount withDisplayName(String name) {
        return new SoftphoneAccount(serverHost, serverPort, transport, user, password, domain, name, registerExpiry,
                stunServer, tlsTrust);
    }

    public SoftphoneAccount withRegisterExpiry(Duration expiry) {
        return new SoftphoneAccount(serverHost, serverPort, transport, user, password, domain, displayName, expiry,
                stunServer, tlsTrust);
    }

    public Optional<String> stun() {
        return Optional.ofNullable(stunServer).filter(s -> !s.isBlank());
    }

    /** {@code sip:user@domain}. */
    public String addressOfRecord() {
        return "sip:" + user + "@" + domain;
    }
}

package org.callibry.server.sip.core;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.callibry.server.directory.DirectoryChanged;
import org.callibry.server.directory.SipDirectory;
import org.callibry.server.sip.internal.SipProperties;
import org.callibry.shared.api.Methods;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The SIP domains and account credentials in memory, loaded from the directory at start and
 * refreshed when it changes: the registrar and proxy look up here, never in the database.
 */
@Component
public class SipAccounts {
    private static final Logger log = LoggerFactory.getLogger(SipAccounts.class);

    private record Snapshot(Map<String, SipDirectory.Domain> domains, SipDirectory.Domain localAlias,
                            Map<String, SipDirectory.Credentials> byNumber, Map<Long, SipDirectory.Credentials> byId) {
    }

    private final SipDirectory directory;
    private final Set<String> localHosts = new HashSet<>();
    private volatile Snapshot snapshot = new Snapshot(Map.of(), null, Map.of(), Map.of());

    public SipAccounts(SipDirectory directory, SipProperties properties) {
        this.directory = directory;
        localHosts.add("localhost");
        localHosts.add(properties.bindAddress());
        if (!properties.advertisedAddress().isBlank()) {
            localHosts.add(properties.advertisedAddress().toLowerCase(Locale.ROOT));
        }
        try {
            for (NetworkInterface ni : NetworkInterface.networkInterfaces().toList()) {
                ni.inetAddresses().map(InetAddress::getHostAddress).map(a -> a.replaceAll("%.*", "")).forEach(localHosts::add);
            }
        } catch (SocketException e) {
            log.warn("Cannot list network interfaces: {}", e.getMessage());
        }
    }

    /** Reloads everything from the directory. */
    public synchronized void reload() {
        Map<String, SipDirectory.Domain> domains = new HashMap<>();
        SipDirectory.Domain alias = null;
        for (SipDirectory.Domain d : directory.domains()) {
            domains.put(d.name().toLowerCase(Locale.ROOT), d);
            if (d.localAlias()) {
                alias = d;
            }
        }
        Map<String, SipDirectory.Credentials> byNumber = new HashMap<>();
        Map<Long, SipDirectory.Credentials> byId = new HashMap<>();
        for (SipDirectory.Credentials c : directory.accounts()) {
            byNumber.put(key(c.domainId(), c.number()), c);
            byId.put(c.accountId(), c);
        }
        snapshot = new Snapshot(Map.copyOf(domains), alias, byNumber, byId);
        log.debug("SIP directory loaded: {} domains, {} accounts", domains.size(), byId.size());
    }

    @EventListener
    public void on(DirectoryChanged event) {
        if (event.family().equals(Methods.ACCOUNT)) {
            refreshAccount(event.id());
        } else if (event.family().equals(Methods.DOMAIN) || event.family().equals(Methods.TENANT)) {
            reload();
        }
    }

    private synchronized void refreshAccount(long id) {
        Snapshot s = snapshot;
        Map<String, SipDirectory.Credentials> byNumber = new HashMap<>(s.byNumber());
        Map<Long, SipDirectory.Credentials> byId = new HashMap<>(s.byId());
        SipDirectory.Credentials old = byId.remove(id);
        if (old != null) {
            byNumber.remove(key(old.domainId(), old.number()));
        }
        directory.account(id).ifPresent(c -> {
            byNumber.put(key(c.domainId(), c.number()), c);
            byId.put(c.accountId(), c);
        });
        snapshot = new Snapshot(s.domains(), s.localAlias(), byNumber, byId);
    }

    /** The domain a host names: a domain of that name, or the local alias for this server's own addresses. */
    public Optional<SipDirectory.Domain> domain(String host) {
        if (host == null) {
            return Optional.empty();
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        Snapshot s = snapshot;
        SipDirectory.Domain d = s.domains().get(h);
        if (d == null && s.localAlias() != null && isLocal(h)) {
            d = s.localAlias();
        }
        return Optional.ofNullable(d);
    }

    /** Is this host one of this server's own addresses? */
    public boolean isLocal(String host) {
        return host != null && localHosts.contains(host.toLowerCase(Locale.ROOT));
    }

    public Optional<SipDirectory.Credentials> account(SipDirectory.Domain domain, String number) {
        return number == null ? Optional.empty() : Optional.ofNullable(snapshot.byNumber().get(key(domain.id(), number)));
    }

    public Optional<SipDirectory.Credentials> account(long id) {
        return Optional.ofNullable(snapshot.byId().get(id));
    }

    private static String key(long domainId, String number) {
        return domainId + ":" + number;
    }
}

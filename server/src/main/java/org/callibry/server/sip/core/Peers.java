package org.callibry.server.sip.core;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Trusted peers (trunks, gateways, other switches) identified by source address: requests from them
 * are routed without digest authentication. Held in memory, reloaded when {@code peer.*} changes them.
 */
@Component
public class Peers {
    /** A peer's address block; {@code tenantId} owns calls coming from it (may be null). */
    public record Peer(long id, String name, byte[] network, int prefix, Long tenantId) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private final JdbcClient jdbc;
    private volatile List<Peer> peers = List.of();

    public Peers(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void reload() {
        peers = jdbc.sql("select id, name, host(address), masklen(address), tenant_id from sip_peer where enabled")
                .query((rs, n) -> {
                    long tenant = rs.getLong(5);
                    return new Peer(rs.getLong(1), rs.getString(2), parse(rs.getString(3)), rs.getInt(4), rs.wasNull() ? null : tenant);
                }).list();
    }

    public Optional<Peer> match(String sourceIp) {
        List<Peer> list = peers;
        if (list.isEmpty()) {
            return Optional.empty();
        }
        byte[] address = parse(sourceIp);
        return list.stream().filter(p -> p.contains(address)).findFirst();
    }

    private static byte[] parse(String ip) {
        try {
            return InetAddress.getByName(ip).getAddress(); // literals only: no DNS lookup happens for an IP
        } catch (UnknownHostException e) {
            return new byte[0];
        }
    }
}

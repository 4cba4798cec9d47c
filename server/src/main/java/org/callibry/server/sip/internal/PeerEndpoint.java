package org.callibry.server.sip.internal;


import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import org.callibry.server.api.Caller;
import org.callibry.server.api.RpcException;
import org.callibry.server.api.RpcMethod;
import org.callibry.server.storage.Sql;
import org.callibry.shared.api.Role;
import org.callibry.shared.api.dto.IdParams;
import org.callibry.shared.api.dto.Page;
import org.callibry.shared.api.dto.Peers;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** {@code peer.*}: trusted SIP peers by address (admins manage them, supervisors read them). */
@Component
class PeerEndpoint {
    private static final String COLUMNS = "id, name, address::text as address, tenant_id, enabled, created_at, updated_at";
    private static final Map<String, String> UNIQUE = Map.of("sip_peer_name_uq", "name");

    private final JdbcClient jdbc;
    private final org.callibry.server.sip.core.Peers peers;

    PeerEndpoint(JdbcClient jdbc, org.callibry.server.sip.core.Peers peers) {
        this.jdbc = jdbc;
        this.peers = peers;
    }

    @RpcMethod(value = "peer.list", roles = {Role.ADMIN, Role.SUPERVISOR}, summary = "Trusted SIP peers, paged")
    Page<Peers.Peer> list(Caller caller, Peers.ListParams params) {
        unbound(caller);
        Sql.Where where = new Sql.Where().search(params.query(), "name", "address::text");
        return Sql.page(jdbc, COLUMNS, "sip_peer", where, "lower(name), id", params.offset(), params.limit(), PeerEndpoint::map);
    }

    @RpcMethod(value = "peer.get", roles = {Role.ADMIN, Role.SUPERVISOR}, summary = "One trusted SIP peer")
    Peers.Peer get(Caller caller, IdParams params) {
        unbound(caller);
        return find(params.id());
    }

    @RpcMethod(value = "peer.create", roles = Role.ADMIN,
            summary = "Trust a SIP peer by address or CIDR block: its requests are routed without digest authentication")
    Peers.Peer create(Peers.Create params) {
        checkAddress(params.address());
        try {
            Peers.Peer p = jdbc.sql("insert into sip_peer (name, address, tenant_id, enabled) values (?, network(?::inet), ?, ?) returning " + COLUMNS)
                    .params(params.name().strip(), params.address(), params.tenantId(), params.enabled() == null || params.enabled())
                    .query(PeerEndpoint::map).single();
            peers.reload();
            return p;
        } catch (DataIntegrityViolationException e) {
            if (params.tenantId() != null && e.getMessage() != null && e.getMessage().contains("tenant")) {
                throw RpcException.invalid("tenantId", "tenant " + params.tenantId() + " does not exist");
            }
            throw Sql.conflict(e, UNIQUE);
        }
    }

    @RpcMethod(value = "peer.update", roles = Role.ADMIN, summary = "Change a peer's name, address or enabled flag")
    Peers.Peer update(Peers.Update params) {
        find(params.id());
        if (params.address() != null) {
            checkAddress(params.address());
        }
        try {
            Peers.Peer p = jdbc.sql("update sip_peer set name = coalesce(?, name), address = coalesce(network(?::inet), address),"
                            + " enabled = coalesce(?, enabled), updated_at = now() where id = ? returning " + COLUMNS)
                    .params(params.name(), params.address(), params.enabled(), params.id())
                    .query(PeerEndpoint::map).single();
            peers.reload();
            return p;
        } catch (DataIntegrityViolationException e) {
            throw Sql.conflict(e, UNIQUE);
        }
    }

    @RpcMethod(value = "peer.delete", roles = Role.ADMIN, summary = "Stop trusting a peer")
    void delete(IdParams params) {
        find(params.id());
        jdbc.sql("delete from sip_peer where id = ?").param(params.id()).update();
        peers.reload();
    }

    /** Peers belong to the whole switch: a user bound to one tenant may not see them. */
    private static void unbound(Caller caller) {
        if (caller.tenantBound()) {
            throw RpcException.forbidden("role", "peers are managed by unbound admins and supervisors");
        }
    }

    private static void checkAddress(String address) {
        String[] parts = address.split("/");
        try {
            InetAddress a = InetAddress.getByName(parts[0]);
            int max = a.getAddress().length * 8;
            if (parts.length == 2 && Integer.parseInt(parts[1]) > max) {
                throw RpcException.invalid("address", "prefix longer than " + max + " bits");
            }
        } catch (UnknownHostException | NumberFormatException e) {
            throw RpcException.invalid("address", "must be an IP address or CIDR block");
        }
    }

    private Peers.Peer find(long id) {
        return jdbc.sql("select " + COLUMNS + " from sip_peer where id = ?").param(id).query(PeerEndpoint::map)
                .optional().orElseThrow(() -> RpcException.notFound("peer", id));
    }

    static Peers.Peer map(ResultSet rs, int n) throws SQLException {
        long tenant = rs.getLong("tenant_id");
        return new Peers.Peer(rs.getLong("id"), rs.getString("name"), rs.getString("address"), rs.wasNull() ? null : tenant,
                rs.getBoolean("enabled"), Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"));
    }
}

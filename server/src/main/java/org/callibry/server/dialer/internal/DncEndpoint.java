package org.callibry.server.dialer.internal;

import java.util.ArrayList;
import java.util.List;
import org.callibry.server.api.Caller;
import org.callibry.server.api.RpcException;
import org.callibry.server.api.RpcMethod;
import org.callibry.shared.api.Methods;
import org.callibry.shared.api.Role;
import org.callibry.shared.api.dto.Campaigns;
import org.callibry.shared.api.dto.Page;
import org.springframework.stereotype.Component;

/**
 * The tenant's do-not-call list: {@code dnc.add/remove/list} (the CSV upload is {@code POST /api/dnc}).
 * A number added is never called again by the tenant's campaigns: numbers waiting in them are done with
 * result {@code DNC} at once; an upload of campaign numbers skips it.
 */
@Component
class DncEndpoint {
    private final CampaignStore store;

    DncEndpoint(CampaignStore store) {
        this.store = store;
    }

    @RpcMethod(value = Methods.DNC_ADD, roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER},
            summary = "Add numbers to the tenant's do-not-call list")
    Campaigns.DncChanged add(Caller caller, Campaigns.DncAdd p) {
        long tenant = tenant(caller, p.tenantId());
        return new Campaigns.DncChanged(store.addDnc(tenant, numbers(p.numbers()), p.note()));
    }

    @RpcMethod(value = Methods.DNC_REMOVE, roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER},
            summary = "Remove numbers from the tenant's do-not-call list")
    Campaigns.DncChanged remove(Caller caller, Campaigns.DncRemove p) {
        long tenant = tenant(caller, p.tenantId());
        return new Campaigns.DncChanged(store.removeDnc(tenant, numbers(p.numbers())));
    }

    @RpcMethod(value = Methods.DNC_LIST, roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER},
            summary = "The do-not-call list of a tenant (admins: any or all), by number")
    Page<Campaigns.DncEntry> list(Caller caller, Campaigns.DncList p) {
        Long tenant = caller.scopeTenant(p.tenantId(), "tenantId");
        return store.dnc(tenant, p.match(), p.offset() == null ? 0 : p.offset(), p.limit() == null ? 100 : p.limit());
    }

    static long tenant(Caller caller, Long requested) {
        Long tenant = caller.scopeTenant(requested, "tenantId");
        if (tenant == null) {
            throw RpcException.invalid("tenantId", "must not be null");
        }
        return tenant;
    }

    /** The numbers as stored; a malformed one is refused with its position. */
    private static List<String> numbers(List<String> raw) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            String n = NumberList.normalize(raw.get(i));
            if (n == null) {
                throw RpcException.invalid("numbers[" + i + "]", "malformed number (3-20 digits, optional leading +)");
            }
            out.add(n);
        }
        return out;
    }
}

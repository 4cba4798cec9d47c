package org.callibry.server.acd.internal;

import java.util.List;
import org.callibry.server.acd.QueueEvent;
import org.callibry.server.api.Caller;
import org.callibry.server.api.RpcException;
import org.callibry.server.api.RpcMethod;
import org.callibry.server.directory.SipDirectory;
import org.callibry.shared.api.Methods;
import org.callibry.shared.api.Role;
import org.callibry.shared.api.dto.Calls;
import org.callibry.shared.api.dto.Queues;
import org.springframework.stereotype.Component;

/**
 * The supervisor's control of queues and calls: the waiting list, priorities, moves, kicks, a caller
 * sent straight to an agent, the calls in progress and their transfer ({@code caller.info} is the crm
 * module's). Supervisors and customers act on their own tenant, admins on any.
 */
@Component
class SupervisorEndpoint {
    private static final String ENTRY = "waiting entry";

    private final AcdService service;
    private final QueueEndpoint queues;
    private final SipDirectory directory;

    SupervisorEndpoint(AcdService service, QueueEndpoint queues, SipDirectory directory) {
        this.service = service;
        this.queues = queues;
        this.directory = directory;
    }

    @RpcMethod(value = Methods.QUEUE_WAITING, roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER, Role.OPERATOR},
            summary = "Callers and callbacks waiting in a queue, in service order")
    List<Queues.Waiting> waiting(Caller caller, Queues.WaitingParams params) {
        queues.visible(caller, params.queueId());
        return service.acd().waiting(params.queueId());
    }

    @RpcMethod(value = Methods.QUEUE_SET_PRIORITY, roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER},
            summary = "Change a waiting caller's priority (higher is served first)")
    Queues.Waiting setPriority(Caller caller, Queues.SetPriority params) {
        entry(caller, params.id());
        Queues.Waiting w = service.acd().setPriority(params.id(), params.priority());
        if (w == null) {
            throw gone(params.id());
        }
        return w;
    }

    @RpcMethod(value = Methods.QUEUE_MOVE, roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER},
            summary = "Move a waiting caller to another queue of its tenant, keeping its wait time")
    Queues.Waiting move(Caller caller, Queues.Move params) {
        Entry e = entry(caller, params.id());
        if (queues.visible(caller, params.queueId()).tenantId() != e.tenantId) {
            throw RpcException.invalid("queueId", "queue " + params.queueId() + " is of another tenant");
        }
        Queues.Waiting w = service.acd().move(params.id(), params.queueId(), QueueEvent.Type.MOVED, "by " + caller.username());
        if (w == null) {
            throw gone(params.id());
        }
        return w;
    }

    @RpcMethod(value = Methods.QUEUE_KICK, roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER},
            summary = "Take a caller out of its queue: hang up (a callback: drop it), or send it to an account or number")
    void kick(Caller caller, Queues.Kick params) {
        entry(caller, params.id());
        String destination = params.destination() == null || params.destination().isBlank() ? null : params.destination().strip();
        if (destination != null && !destination.matches("\\+?[0-9*#]{1,32}")) {
            throw RpcException.invalid("destination", "a number is 1-32 of 0-9 * # (with an optional leading +)");
        }
        if (!service.acd().kick(params.id(), destination, "kicked by " + caller.username())) {
            throw gone(params.id());
        }
    }

    @RpcMethod(value = Methods.QUEUE_DIRECT_TO_AGENT, roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER},
            summary = "Offer a waiting caller to this agent now, whatever the strategy says")
    void directToAgent(Caller caller, Queues.DirectToAgent params) {
        Entry e = entry(caller, params.id());
        if (directory.account(params.accountId()).filter(a -> a.tenantId() == e.tenantId).isEmpty()) {
            throw RpcException.invalid("accountId", "account " + params.accountId() + " is not an account of the caller's tenant");
        }
        if (service.acd().agentIdOf(params.accountId()).isEmpty()) {
            throw RpcException.invalid("accountId", "account " + params.accountId() + " is not an agent (no queue, no status)");
        }
        if (!service.acd().directToAgent(params.id(), params.accountId())) {
            throw gone(params.id());
        }
    }

    @RpcMethod(value = Methods.CALL_LIST, roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER},
            summary = "Queue calls in progress: waiting, ringing an agent, answered")
    List<Calls.Call> calls(Caller caller, Calls.ListParams params) {
        return service.acd().calls(caller.scopeTenant(params.tenantId(), "tenantId"));
    }

    @RpcMethod(value = Methods.CALL_TRANSFER, roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER},
            summary = "Reassign an answered queue call to another operator or number (the caller is connected there)")
    void transfer(Caller caller, Calls.Transfer params) {
        Entry e = service.acd().answeredCall(params.id()).orElseThrow(() -> RpcException.invalid("id",
                "call " + params.id() + " is not an answered queue call"));
        if (!caller.canSee(e.tenantId)) {
            throw RpcException.invalid("id", "call " + params.id() + " is not an answered queue call");
        }
        if (!params.destination().strip().matches("\\+?[0-9*#]{1,32}")) {
            throw RpcException.invalid("destination", "a number is 1-32 of 0-9 * # (with an optional leading +)");
        }
        service.acd().transfer(params.id(), params.destination().strip());
    }

    @RpcMethod(value = Methods.CALL_LISTEN, roles = {Role.ADMIN, Role.SUPERVISOR},
            summary = "Join an answered queue call from the supervisor's phone: LISTEN (hear both), WHISPER (speak to the"
                    + " agent), BARGE (speak to both); again with another mode to change it")
    void listen(Caller caller, Calls.Listen params) {
        Entry e = service.acd().answeredCall(params.id()).orElseThrow(() -> RpcException.invalid("id",
                "call " + params.id() + " is not an answered queue call"));
        if (!caller.canSee(e.tenantId)) {
            throw RpcException.invalid("id", "call " + params.id() + " is not an answered queue call");
        }
        SipDirectory.Credentials phone = directory.account(params.accountId()).filter(a -> a.tenantId() == e.tenantId)
                .orElseThrow(() -> RpcException.invalid("accountId", "account " + params.accountId()
                        + " is not an account of the call's tenant"));
        if (!service.acd().listen(params.id(), phone.accountId(), phone.number(), params.mode())) {
            throw RpcException.invalid("id", "call " + params.id() + " is not an answered queue call");
        }
    }

    private Entry entry(Caller caller, String id) {
        Entry e = service.acd().entry(id).orElseThrow(() -> gone(id));
        if (!caller.canSee(e.tenantId)) {
            throw gone(id);
        }
        return e;
    }

    private static RpcException gone(String id) {
        return new RpcException(org.callibry.shared.api.ErrorCodes.NOT_FOUND, ENTRY + " " + id + " not found (no longer waiting)",
                java.util.Map.of("field", "id"));
    }
}

package org.callibry.server.ivr.internal;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.callibry.server.acd.QueueDirectory;
import org.callibry.server.api.Caller;
import org.callibry.server.api.RpcException;
import org.callibry.server.api.RpcMethod;
import org.callibry.server.calls.ServiceNumbers;
import org.callibry.server.storage.Sql;
import org.callibry.shared.api.ErrorCodes;
import org.callibry.shared.api.Methods;
import org.callibry.shared.api.Role;
import org.callibry.shared.api.dto.IdParams;
import org.callibry.shared.api.dto.Ivrs;
import org.callibry.shared.api.dto.Page;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * {@code ivr.create/get/list/update/delete}, {@code ivr.validate}, {@code ivr.simulate},
 * {@code ivr.versions} and {@code ivr.runs}. Admins work on any tenant, supervisors and customers on
 * their own. A document with errors is refused with every error (node and field) in the error's
 * {@code data.errors}; a saved scenario is a new version, live for the next call at once.
 */
@Component
class IvrEndpoint {
    private static final Map<String, String> UNIQUE = Map.of("ivr_scenario_number_uq", "number", "ivr_scenario_name_uq", "name");
    private static final int MAX_DOCUMENT_CHARS = 512 * 1024;

    private final IvrStore store;
    private final IvrService service;
    private final ObjectProvider<ServiceNumbers> numbers;
    private final TransactionTemplate tx;

    IvrEndpoint(IvrStore store, IvrService service, ObjectProvider<ServiceNumbers> numbers, TransactionTemplate tx) {
        this.store = store;
        this.service = service;
        this.numbers = numbers;
        this.tx = tx;
    }

    @RpcMethod(value = "ivr.list", roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER}, summary = "IVR scenarios of a tenant")
    Page<Ivrs.Ivr> list(Caller caller, Ivrs.ListParams params) {
        Long tenant = caller.scopeTenant(params.tenantId(), "tenantId");
        List<Ivrs.Ivr> all = store.all().stream().filter(s -> tenant == null || s.tenantId() == tenant).toList();
        return new Page<>(all, all.size(), 0, all.size());
    }

    @RpcMethod(value = "ivr.get", roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER}, summary = "One IVR scenario at its latest version")
    Ivrs.Ivr get(Caller caller, IdParams params) {
        return visible(caller, params.id());
    }

    @RpcMethod(value = "ivr.create", roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER},
            summary = "Create an IVR scenario (refused with every error of its document)")
    Ivrs.Ivr create(Caller caller, Ivrs.Create p) {
        Long tenantId = caller.scopeTenant(p.tenantId(), "tenantId");
        if (tenantId == null) {
            throw RpcException.invalid("tenantId", "must not be null");
        }
        return save(caller, null, tenantId, p.name().strip(), p.number(), p.scenario());
    }

    @RpcMethod(value = "ivr.update", roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER},
            summary = "Change an IVR scenario: a new version, run by the next call")
    Ivrs.Ivr update(Caller caller, Ivrs.Update p) {
        Ivrs.Ivr o = visible(caller, p.id());
        String number = Boolean.TRUE.equals(p.clearNumber()) ? null : p.number() != null ? p.number() : o.number();
        return save(caller, o.id(), o.tenantId(), p.name() == null ? o.name() : p.name().strip(), number,
                p.scenario() == null || p.scenario().isNull() ? o.scenario() : p.scenario());
    }

    @RpcMethod(value = "ivr.delete", roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER},
            summary = "Delete an IVR scenario, its versions and its traces")
    void delete(Caller caller, IdParams params) {
        Ivrs.Ivr s = visible(caller, params.id());
        store.delete(s.id());
        service.remove(s.id());
    }

    @RpcMethod(value = "ivr.validate", roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER},
            summary = "The errors and warnings of a scenario document, without saving it")
    Ivrs.Validation validate(Caller caller, Ivrs.ValidateParams p) {
        Long tenantId = caller.scopeTenant(p.tenantId(), "tenantId");
        return ScenarioValidator.check(p.scenario(), tenantId == null ? null : references(tenantId)).validation();
    }

    @RpcMethod(value = "ivr.simulate", roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER},
            summary = "Walk a scenario without a call: typed digits and canned HTTP answers in, the trace out")
    Ivrs.Trace simulate(Caller caller, Ivrs.SimulateParams p) {
        Ivrs.Ivr row = visible(caller, p.id());
        IvrService.Live live = service.live(row.id()).orElseThrow(() -> RpcException.notFound("ivr", row.id()));
        CallPort.Services s = service.services();
        long tenant = row.tenantId();
        SimulationPort.Tenant t = new SimulationPort.Tenant(
                (language, name) -> s.prompts().audio(tenant, language, name).isPresent(),
                id -> s.directory().account(id).filter(c -> c.tenantId() == tenant).map(c -> c.number()),
                id -> service.live(id).filter(l -> l.row().tenantId() == tenant)
                        .map(l -> new IvrPort.Loaded(l.row().id(), l.row().tenantId(), l.row().version(), l.scenario())),
                s.zones().zone(tenant), date -> s.holidays().holiday(tenant, date),
                number -> Optional.ofNullable(s.cards().card(tenant, number)));
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("caller", p.caller() == null ? "1000" : p.caller());
        variables.put("called", row.number() == null ? "" : row.number());
        variables.put("callId", "simulation");
        variables.put("tenantId", Long.toString(tenant));
        variables.put("scenarioId", Long.toString(row.id()));
        if (p.variables() != null) {
            variables.putAll(p.variables());
        }
        SimulationPort port = new SimulationPort(p.digits(), p.httpAnswers(), p.at() == null ? Instant.now() : p.at(), t);
        return new Interpreter(live.scenario(), port, variables).run();
    }

    @RpcMethod(value = "ivr.versions", roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER},
            summary = "Every saved version of an IVR scenario, newest first")
    List<Ivrs.Version> versions(Caller caller, Ivrs.VersionsParams p) {
        return store.versions(visible(caller, p.id()).id());
    }

    @RpcMethod(value = "ivr.runs", roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER},
            summary = "Traces of calls through IVR scenarios, by call id or by scenario, newest first")
    List<Ivrs.Run> runs(Caller caller, Ivrs.RunsParams p) {
        if (p.id() != null) {
            visible(caller, p.id());
        }
        return store.runs(p.callId(), p.id(), caller.tenantId(), p.limit() == null ? 50 : p.limit());
    }

    // ---------------------------------------------------------------- saving

    private Ivrs.Ivr save(Caller caller, Long id, long tenantId, String name, String number, JsonNode document) {
        if (document.toString().length() > MAX_DOCUMENT_CHARS) {
            throw RpcException.invalid("scenario", "is larger than " + MAX_DOCUMENT_CHARS / 1024 + " KB");
        }
        ScenarioValidator.Checked checked = ScenarioValidator.check(document, references(tenantId));
        if (!checked.validation().valid()) {
            throw refused(checked.validation());
        }
        if (number != null) {
            for (ServiceNumbers other : numbers) {
                if (other != service && other.lookup(tenantId, number).isPresent()) {
                    throw RpcException.conflict("number", number + " is already the number of a queue of the tenant");
                }
            }
        }
        long saved;
        try {
            saved = Objects.requireNonNull(tx.execute(st -> {
                if (id == null) {
                    return store.insert(tenantId, name, number, document, caller.username());
                }
                store.update(id, name, number, document, caller.username());
                return id;
            }));
        } catch (DataIntegrityViolationException e) {
            throw Sql.conflict(e, UNIQUE);
        }
        Ivrs.Ivr stored = store.find(saved);
        service.put(stored);
        return stored;
    }

    /** Invalid params naming the first problem, with all of them (node, field, message) in {@code data.errors}. */
    static RpcException refused(Ivrs.Validation v) {
        Ivrs.Problem first = v.errors().getFirst();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("field", "scenario");
        data.put("reason", describe(first));
        data.put("errors", v.errors());
        data.put("warnings", v.warnings());
        String more = v.errors().size() > 1 ? " (and " + (v.errors().size() - 1) + " more)" : "";
        return new RpcException(ErrorCodes.INVALID_PARAMS, "Invalid params: scenario: " + describe(first) + more, data);
    }

    private static String describe(Ivrs.Problem p) {
        return (p.node() == null ? "" : "node '" + p.node() + "' ") + (p.field() == null || p.field().isEmpty() ? ""
                : "field '" + p.field() + "' ") + p.message();
    }

    /** The tenant's queues, accounts and scenarios, for the validator. */
    ScenarioValidator.References references(long tenantId) {
        CallPort.Services s = service.services();
        return new ScenarioValidator.References() {
            @Override
            public boolean queue(long id) {
                QueueDirectory.Info q = s.queues().queues(List.of(id)).get(id);
                return q != null && q.tenantId() == tenantId;
            }

            @Override
            public boolean account(long id) {
                return s.directory().account(id).filter(c -> c.tenantId() == tenantId).isPresent();
            }

            @Override
            public boolean scenario(long id) {
                return service.live(id).filter(l -> l.row().tenantId() == tenantId).isPresent();
            }
        };
    }

    Ivrs.Ivr visible(Caller caller, long id) {
        Ivrs.Ivr s = store.find(id);
        if (s == null || !caller.canSee(s.tenantId())) {
            throw RpcException.notFound(Methods.IVR, id);
        }
        return s;
    }
}

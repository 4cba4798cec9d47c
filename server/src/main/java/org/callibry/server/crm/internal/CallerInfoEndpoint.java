package org.callibry.server.crm.internal;

import java.net.URI;
import java.net.http.HttpRequest;
import org.callibry.server.api.Caller;
import org.callibry.server.api.RpcException;
import org.callibry.server.api.RpcMethod;
import org.callibry.server.cdr.CallHistory;
import org.callibry.server.directory.ContactBook;
import org.callibry.server.directory.SipDirectory;
import org.callibry.shared.api.Methods;
import org.callibry.shared.api.Role;
import org.callibry.shared.api.dto.CallerLookups;
import org.callibry.shared.api.dto.Calls;
import org.springframework.stereotype.Component;

/**
 * {@code caller.info} for operators' call cards (the contact, the last calls, and the card: the tenant's
 * CRM lookup, falling back to the contact), and each tenant's lookup configuration:
 * {@code callerLookup.get/set/delete/test}. Supervisors and customers configure their own tenant,
 * admins any; the auth header's value is never shown.
 */
@Component
class CallerInfoEndpoint {
    private static final int LAST_CALLS = 10;

    private final CrmLookups lookups;
    private final LookupStore store;
    private final SipDirectory directory;
    private final ContactBook contacts;
    private final CallHistory history;

    CallerInfoEndpoint(CrmLookups lookups, LookupStore store, SipDirectory directory, ContactBook contacts, CallHistory history) {
        this.lookups = lookups;
        this.store = store;
        this.directory = directory;
        this.contacts = contacts;
        this.history = history;
    }

    @RpcMethod(value = Methods.CALLER_INFO, roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER, Role.OPERATOR},
            summary = "What is known of a number: the tenant's CRM card (else its contact's), its contact and its last calls")
    Calls.CallerInfo callerInfo(Caller caller, Calls.CallerInfoParams params) {
        Long tenant = caller.tenantId();
        if (tenant == null) {
            tenant = directory.accountOfUser(caller.userId()).flatMap(directory::account).map(SipDirectory.Credentials::tenantId)
                    .orElseThrow(() -> RpcException.invalid("number", "an unbound user has no tenant to look the number up in"));
        }
        String number = params.number().strip();
        var contact = contacts.byNumber(tenant, number).orElse(null);
        Calls.CallerCard crm = lookups.crmCard(tenant, number);
        return new Calls.CallerInfo(number, contact, history.lastCalls(tenant, number, LAST_CALLS),
                crm != null ? crm : Calls.CallerCard.of(contact));
    }

    @RpcMethod(value = "callerLookup.get", roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER},
            summary = "The tenant's CRM caller lookup (null when it has none); the auth header's value is not shown")
    CallerLookups.Lookup get(Caller caller, CallerLookups.GetParams p) {
        return lookups.config(tenant(caller, p.tenantId())).map(LookupConfig::view).orElse(null);
    }

    @RpcMethod(value = Methods.CALLER_LOOKUP_SET, roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER},
            summary = "Create or replace the tenant's CRM caller lookup: URL template with {number}, auth header, field mapping")
    CallerLookups.Lookup set(Caller caller, CallerLookups.Set p) {
        long tenant = tenant(caller, p.tenantId());
        LookupConfig old = lookups.config(tenant).orElse(null);
        String template = p.urlTemplate().strip();
        if (!template.contains("{number}")) {
            throw RpcException.invalid("urlTemplate", "must contain {number}");
        }
        URI sample;
        try {
            sample = new URI(template.replace("{number}", "0").replace("{tenantId}", "0"));
        } catch (java.net.URISyntaxException e) {
            throw RpcException.invalid("urlTemplate", "not a URL: " + e.getReason());
        }
        if (sample.getUserInfo() != null) {
            throw RpcException.invalid("urlTemplate", "must not carry a user name or password (use authHeader)");
        }
        lookups.guard().refuse(sample).ifPresent(reason -> {
            throw RpcException.invalid("urlTemplate", reason);
        });
        String headerName = old == null ? null : old.authHeaderName();
        String headerValue = old == null ? null : old.authHeaderValue();
        if (p.authHeader() != null) {
            headerName = null;
            headerValue = null;
            if (!p.authHeader().isBlank()) {
                int colon = p.authHeader().indexOf(':');
                if (colon <= 0) {
                    throw RpcException.invalid("authHeader", "is Name: value");
                }
                headerName = p.authHeader().substring(0, colon).strip();
                headerValue = p.authHeader().substring(colon + 1).strip();
                try {
                    HttpRequest.newBuilder(URI.create("http://example.com/")).header(headerName, headerValue);
                } catch (IllegalArgumentException e) {
                    throw RpcException.invalid("authHeader", "cannot be sent: " + e.getMessage());
                }
            }
        }
        String nameField = path("nameField", p.nameField());
        String companyField = path("companyField", p.companyField());
        String notesField = path("notesField", p.notesField());
        store.save(new LookupConfig(tenant, template, headerName, headerValue, nameField, companyField, notesField,
                p.timeoutMs() == null ? 2000 : p.timeoutMs(), p.cacheTtlSeconds() == null ? 300 : p.cacheTtlSeconds(),
                p.enabled() == null || p.enabled(), null));
        lookups.reload(tenant);
        return lookups.config(tenant).map(LookupConfig::view).orElseThrow();
    }

    @RpcMethod(value = "callerLookup.delete", roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER},
            summary = "Remove the tenant's CRM caller lookup: caller.info answers from the contacts")
    void delete(Caller caller, CallerLookups.GetParams p) {
        long tenant = tenant(caller, p.tenantId());
        store.delete(tenant);
        lookups.reload(tenant);
    }

    @RpcMethod(value = Methods.CALLER_LOOKUP_TEST, roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER},
            summary = "Look a number up in the tenant's CRM now, past the cache, and say what came back")
    CallerLookups.TestResult test(Caller caller, CallerLookups.TestParams p) {
        LookupConfig c = lookups.config(tenant(caller, p.tenantId()))
                .orElseThrow(() -> RpcException.invalid("tenantId", "the tenant has no CRM caller lookup"));
        CrmLookups.Result r = lookups.lookup(c, p.number().strip());
        return new CallerLookups.TestResult(r.card(), r.status(), r.error(), r.tookMs());
    }

    private static long tenant(Caller caller, Long requested) {
        Long tenant = caller.scopeTenant(requested, "tenantId");
        if (tenant == null) {
            throw RpcException.invalid("tenantId", "must not be null");
        }
        return tenant;
    }

    private static String path(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            FieldPath.pointer(value);
        } catch (IllegalArgumentException e) {
            throw RpcException.invalid(field, e.getMessage());
        }
        return value.strip();
    }
}

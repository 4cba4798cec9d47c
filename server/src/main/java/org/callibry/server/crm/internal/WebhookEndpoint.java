package org.callibry.server.crm.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import org.callibry.server.api.Caller;
import org.callibry.server.api.RpcException;
import org.callibry.server.api.RpcMethod;
import org.callibry.server.crm.UrlGuard;
import org.callibry.shared.api.Methods;
import org.callibry.shared.api.Role;
import org.callibry.shared.api.dto.IdParams;
import org.callibry.shared.api.dto.Page;
import org.callibry.shared.api.dto.Webhooks;
import org.springframework.stereotype.Component;

/**
 * {@code webhook.create/get/list/update/delete}, {@code webhook.deliveries} and {@code webhook.redeliver}. Admins work on any tenant,
 * supervisors and customers on their own; another tenant's subscriptions and deliveries are "not found".
 * A URL into the server's own network is refused on save unless {@code callibry.crm.webhook.allow} lists
 * it. The secret is shown once, in the answer of the save that sets it.
 */
@Component
class WebhookEndpoint {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final WebhookStore store;
    private final WebhookEvents events;
    private final WebhookProperties properties;
    private final WebhookDeliverer deliverer;
    private final UrlGuard guard;

    WebhookEndpoint(WebhookStore store, WebhookEvents events, WebhookProperties properties, WebhookDeliverer deliverer) {
        this.store = store;
        this.events = events;
        this.deliverer = deliverer;
        this.properties = properties;
        this.guard = new UrlGuard(properties.allow(), "callibry.crm.webhook.allow");
    }

    @RpcMethod(value = "webhook.list", roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER},
            summary = "Webhook subscriptions of a tenant (secrets not shown)")
    Page<Webhooks.Webhook> list(Caller caller, Webhooks.ListParams params) {
        Long tenant = caller.scopeTenant(params.tenantId(), "tenantId");
        List<Webhooks.Webhook> all = store.all().stream().filter(w -> tenant == null || w.tenantId() == tenant)
                .map(w -> w.view(false)).toList();
        return new Page<>(all, all.size(), 0, all.size());
    }

    @RpcMethod(value = "webhook.get", roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER},
            summary = "One webhook subscription (secret not shown)")
    Webhooks.Webhook get(Caller caller, IdParams params) {
        return visible(caller, params.id()).view(false);
    }

    @RpcMethod(value = "webhook.create", roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER},
            summary = "Subscribe a URL to call events; the answer shows the signing secret, once")
    Webhooks.Webhook create(Caller caller, Webhooks.Create p) {
        Long tenantId = caller.scopeTenant(p.tenantId(), "tenantId");
        if (tenantId == null) {
            throw RpcException.invalid("tenantId", "must not be null");
        }
        if (store.count(tenantId) >= properties.maxPerTenant()) {
            throw RpcException.conflict("tenantId", "a tenant has at most " + properties.maxPerTenant() + " webhooks");
        }
        String secret = p.secret() == null ? newSecret() : p.secret();
        long id = store.insert(tenantId, url(p.url()), secret, events(p.events()), p.enabled() == null || p.enabled());
        events.reload();
        return store.find(id).view(true);
    }

    @RpcMethod(value = "webhook.update", roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER},
            summary = "Change a webhook subscription (url, events, secret, enabled)")
    Webhooks.Webhook update(Caller caller, Webhooks.Update p) {
        WebhookStore.Subscription o = visible(caller, p.id());
        store.update(o.id(), p.url() == null ? o.url() : url(p.url()), p.secret() == null ? o.secret() : p.secret(),
                p.events() == null ? o.events() : events(p.events()), p.enabled() == null ? o.enabled() : p.enabled());
        events.reload();
        return store.find(o.id()).view(p.secret() != null);
    }

    @RpcMethod(value = "webhook.delete", roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER},
            summary = "Delete a webhook subscription and its delivery log")
    void delete(Caller caller, IdParams params) {
        store.delete(visible(caller, params.id()).id());
        events.reload();
    }

    @RpcMethod(value = Methods.WEBHOOK_DELIVERIES, roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER},
            summary = "The webhook delivery log, newest first: attempts, last status code and error, times")
    Page<Webhooks.Delivery> deliveries(Caller caller, Webhooks.DeliveriesParams p) {
        Long tenant = caller.scopeTenant(p.tenantId(), "tenantId");
        if (p.webhookId() != null) {
            visible(caller, p.webhookId());
        }
        return store.deliveries(tenant, p.webhookId(), p.callId() == null ? null : p.callId().strip(), p.offset(), p.limit());
    }

    @RpcMethod(value = Methods.WEBHOOK_REDELIVER, roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER},
            summary = "Send a delivered or failed webhook delivery again, its attempts counted afresh")
    void redeliver(Caller caller, IdParams params) {
        Long tenant = store.tenantOfDelivery(params.id());
        if (tenant == null || !caller.canSee(tenant)) {
            throw RpcException.notFound("delivery", params.id());
        }
        if (!store.redeliver(params.id(), java.time.Instant.now())) {
            throw RpcException.conflict("id", "delivery " + params.id() + " is still pending");
        }
        deliverer.wake();
    }

    private WebhookStore.Subscription visible(Caller caller, long id) {
        WebhookStore.Subscription w = store.find(id);
        if (w == null || !caller.canSee(w.tenantId())) {
            throw RpcException.notFound("webhook", id);
        }
        return w;
    }

    private String url(String text) {
        URI url;
        try {
            url = new URI(text.strip());
        } catch (URISyntaxException e) {
            throw RpcException.invalid("url", "not a URL: " + e.getReason());
        }
        if (url.getUserInfo() != null) {
            throw RpcException.invalid("url", "must not carry a user name or password (the signature authenticates)");
        }
        guard.refuse(url).ifPresent(reason -> {
            throw RpcException.invalid("url", reason);
        });
        return url.toString();
    }

    private static List<String> events(List<String> names) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String n : names) {
            String name = n.strip();
            if (!Webhooks.EVENTS.contains(name)) {
                throw RpcException.invalid("events", "unknown event " + name + "; known: " + String.join(", ", Webhooks.EVENTS));
            }
            out.add(name);
        }
        return List.copyOf(out);
    }

    private static String newSecret() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}

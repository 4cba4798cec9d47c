-- Module crm: webhooks (subscriptions and their deliveries) and the CRM caller lookup of each tenant.
-- Deliveries: one row per event and subscription, both the delivery queue (pending rows, read by the delivery worker) and the delivery log.
create table webhook (
    id         bigserial primary key,
    tenant_id  bigint      not null references tenant (id) on delete cascade,
    url        text        not null,
    secret     text        not null,
    events     text[]      not null,
    enabled    boolean     not null default true,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
create index webhook_tenant_idx on webhook (tenant_id);

-- seq orders the events of one call; (webhook_id, event_id) makes a replayed spool harmless.
create table webhook_delivery (
    seq              bigserial primary key,
    webhook_id       bigint      not null references webhook (id) on delete cascade,
    tenant_id        bigint      not null,
    event_id         uuid        not null,
    event_type       text        not null,
    call_id          text        not null,
    body             text        not null,
    status           text        not null default 'PENDING',
    attempts         int         not null default 0,
    next_attempt_at  timestamptz,
    status_code      int,
    error            text,
    created_at       timestamptz not null,
    last_attempt_at  timestamptz,
    delivered_at     timestamptz,
    constraint webhook_delivery_event_uq unique (webhook_id, event_id)
);
-- the worker's scan: pending rows by due time
create index webhook_delivery_due_idx on webhook_delivery (next_attempt_at) where status = 'PENDING';
-- "is an earlier event of this call still pending?" and the log by call
create index webhook_delivery_call_idx on webhook_delivery (call_id, webhook_id, seq);
-- the log, newest first, per subscription and per tenant
create index webhook_delivery_webhook_idx on webhook_delivery (webhook_id, seq desc);
create index webhook_delivery_tenant_idx on webhook_delivery (tenant_id, seq desc);
-- the hourly purge of old delivered and failed rows
create index webhook_delivery_created_idx on webhook_delivery (created_at);

-- A tenant's CRM caller lookup (module crm): at most one per tenant.
create table crm_lookup (
    tenant_id         bigint      primary key references tenant (id) on delete cascade,
    url_template      text        not null,
    auth_header_name  text,
    auth_header_value text,
    name_field        text        not null,
    company_field     text,
    notes_field       text,
    timeout_ms        int         not null,
    cache_ttl_seconds int         not null,
    enabled           boolean     not null default true,
    updated_at        timestamptz not null default now()
);

-- Module crm: what operators write about calls on the console (notes with a wrap-up code), the
-- tenant's list of wrap-up codes, and a script per queue shown on the call card.
-- "wrap-up" is the operator's outcome of a call; a CDR's "disposition" is the SIP outcome: two things.
create table wrapup_code (
    id         bigserial primary key,
    tenant_id  bigint      not null references tenant (id) on delete cascade,
    code       text        not null,
    label      text        not null,
    enabled    boolean     not null default true,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint wrapup_code_uq unique (tenant_id, code)
);

-- call_id is the id shared by all legs of a call (CDRs, recordings, webhooks), so a transferred
-- call's notes follow it to the next operator.
create table call_note (
    id          bigserial primary key,
    tenant_id   bigint      not null references tenant (id) on delete cascade,
    call_id     text        not null,
    user_id     bigint      not null,
    username    text        not null,
    wrapup_code text,
    text        text        not null default '',
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now()
);
-- the card of a call: its notes in order
create index call_note_call_idx on call_note (call_id, id);
-- a tenant's notes over time (reports, the portal)
create index call_note_tenant_time_idx on call_note (tenant_id, created_at desc);

-- the text an operator reads to callers of a queue
create table queue_script (
    queue_id   bigint      primary key references acd_queue (id) on delete cascade,
    tenant_id  bigint      not null references tenant (id) on delete cascade,
    text       text        not null,
    updated_by text,
    updated_at timestamptz not null default now()
);

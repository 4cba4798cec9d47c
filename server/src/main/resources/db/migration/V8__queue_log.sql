-- The queue log: one row per queue event (a caller entered, was offered, answered, abandoned, called
-- back, moved, ...) and per agent change (chosen status with its reason, live state), written behind
-- the calls like the CDR (batched, spooled to disk while the database is away) and partitioned by
-- month like it. Rows of one queue call share call_id (the call id of every leg) and entry_id.
create table queue_log (
    -- a time-ordered UUID made by the writer: a row replayed from the spool is recognised, not doubled
    id           uuid        not null,
    at           timestamptz not null,
    -- no foreign keys: the log outlives its tenant, queues and agents
    tenant_id    bigint      not null,
    queue_id     bigint,
    call_id      text,
    entry_id     text,
    event        text        not null,
    caller       text,
    agent_id     bigint,
    account_id   bigint,
    position     integer     not null default 0,
    wait_seconds bigint      not null default 0,
    -- agent rows: the chosen status, its reason and the live state
    status       text,
    state        text,
    detail       text        not null default '',
    constraint queue_log_pk primary key (at, id)
) partition by range (at);

create table queue_log_default partition of queue_log default;

create index queue_log_tenant_at_idx on queue_log (tenant_id, at desc);
create index queue_log_queue_at_idx on queue_log (queue_id, at desc);
create index queue_log_agent_at_idx on queue_log (agent_id, at desc);
create index queue_log_call_idx on queue_log (call_id);

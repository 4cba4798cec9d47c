-- A queue's short-abandon threshold: callers who give up before this wait are counted apart.
alter table acd_queue add column short_abandon_seconds integer not null default 5;

-- KPI rollups: the sums of the queue log in 15-minute buckets, so that a month of KPIs reads a few
-- thousand rows instead of millions. Kept by queuelog.KpiRollups a day behind the log (a queue call
-- is counted in the bucket where it entered, and its last events may come up to a day later); the
-- KPIs read the rollups up to queue_kpi_state.rolled_to and the log after it. Every column is a sum, a
-- count or a maximum, so buckets add up to any range made of whole buckets.
create table queue_kpi_15m (
    tenant_id        bigint           not null,
    queue_id         bigint           not null,
    bucket           timestamptz      not null,
    offered          bigint           not null,
    answered         bigint           not null,
    abandoned        bigint           not null,
    short_abandoned  bigint           not null,
    within_sl        bigint           not null,
    answer_wait_sum  bigint           not null,
    waited           bigint           not null,
    wait_sum         bigint           not null,
    wait_max         bigint,
    talked           bigint           not null,
    talk_sum         double precision not null,
    talk_max         double precision,
    constraint queue_kpi_15m_pk primary key (queue_id, bucket)
);
-- a tenant's buckets of a month, read from the index alone
create index queue_kpi_15m_tenant_idx on queue_kpi_15m (tenant_id, bucket) include (queue_id, offered, answered, abandoned,
    short_abandoned, within_sl, answer_wait_sum, waited, wait_sum, wait_max, talked, talk_sum, talk_max);
create index queue_kpi_15m_bucket_idx on queue_kpi_15m (bucket);

-- Per agent (at its account): offers and misses by the time they happened, calls answered by the
-- time they entered the queue.
create table queue_agent_kpi_15m (
    tenant_id  bigint           not null,
    account_id bigint           not null,
    bucket     timestamptz      not null,
    offered    bigint           not null default 0,
    missed     bigint           not null default 0,
    answered   bigint           not null default 0,
    talk_sum   double precision not null default 0,
    talk_max   double precision,
    constraint queue_agent_kpi_15m_pk primary key (account_id, bucket)
);
create index queue_agent_kpi_15m_tenant_idx on queue_agent_kpi_15m (tenant_id, bucket) include (account_id, offered, missed,
    answered, talk_sum, talk_max);
create index queue_agent_kpi_15m_bucket_idx on queue_agent_kpi_15m (bucket);

-- Per agent: seconds in each live state (and pause reason) within the bucket.
create table queue_agent_state_15m (
    tenant_id  bigint           not null,
    account_id bigint           not null,
    bucket     timestamptz      not null,
    state      text             not null,
    reason     text             not null default '',
    seconds    double precision not null,
    constraint queue_agent_state_15m_pk primary key (account_id, bucket, state, reason)
);
create index queue_agent_state_15m_tenant_idx on queue_agent_state_15m (tenant_id, bucket);
create index queue_agent_state_15m_bucket_idx on queue_agent_state_15m (bucket);

-- The agents' rows (their states), found without the queue calls' rows around them.
create index queue_log_agent_rows_idx on queue_log (at) where event = 'AGENT';

-- How far the rollups go (one row). Null: not started (the first run starts at the log's first day).
create table queue_kpi_state (
    id        integer     primary key check (id = 1),
    rolled_to timestamptz
);
insert into queue_kpi_state (id, rolled_to) values (1, null);

-- Days (UTC) that got log rows after they were rolled up (a spool replayed after a long database
-- outage): rolled up again, with the day before.
create table queue_kpi_dirty (
    day timestamptz primary key
);

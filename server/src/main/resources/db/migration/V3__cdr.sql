-- Call detail records (module cdr): one row per call attempt through the proxy. Built for many
-- millions of rows; the reasons for each choice are in docs/modules/cdr.md.
--
-- Range-partitioned by month of started_at (UTC). The server creates the monthly partitions
-- cdr_pYYYY_MM ahead of time (and for any month a batch needs); cdr_default takes the rows of a month
-- without a partition, so an insert never fails for want of one. Creating a partition later moves
-- that month's rows out of cdr_default.

create table cdr (
    -- a time-ordered UUID made by the writer: a record replayed from the spool is recognised, not doubled
    id              uuid        not null,
    call_id         text        not null,
    a_number        text        not null,
    b_number        text        not null,
    a_number_routed text,
    b_number_routed text,
    source          text,
    destination     text,
    route_name      text,
    -- no foreign key: records outlive their tenant
    tenant_id       bigint,
    started_at      timestamptz not null,
    answered_at     timestamptz,
    ended_at        timestamptz not null,
    -- answered_at to ended_at; 0 when not answered
    duration_ms     bigint      not null default 0 check (duration_ms >= 0),
    disposition     text        not null check (disposition in ('ANSWERED', 'BUSY', 'NO_ANSWER', 'FAILED', 'CANCELLED')),
    sip_code        integer     not null,
    reason          text        not null default '',
    created_at      timestamptz not null default now(),
    -- includes the partition key, as every unique index of a partitioned table must; scanned backwards
    -- it is also the "most recent first" index
    constraint cdr_pk primary key (started_at, id)
) partition by range (started_at);

create table cdr_default partition of cdr default;

-- Indexes on the parent are created on every partition, present and future.
create index cdr_tenant_started_idx on cdr (tenant_id, started_at desc);
-- prefix search (like 'x%') and equality on the numbers, case-insensitive, whatever the collation
create index cdr_a_number_idx on cdr (lower(a_number) text_pattern_ops);
create index cdr_b_number_idx on cdr (lower(b_number) text_pattern_ops);
create index cdr_disposition_started_idx on cdr (disposition, started_at desc);
create index cdr_route_started_idx on cdr (lower(route_name), started_at desc);

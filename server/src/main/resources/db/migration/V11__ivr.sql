-- IVR scenarios. ivr_scenario holds each scenario's latest version (what calls run); every save also
-- goes into ivr_version, so earlier versions stay readable. number: dialled by the tenant's accounts
-- like an extension (unique per tenant when set).
create table ivr_scenario (
    id          bigserial   primary key,
    tenant_id   bigint      not null references tenant (id) on delete cascade,
    name        text        not null,
    number      text,
    version     integer     not null default 1,
    document    jsonb       not null,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now()
);
create unique index ivr_scenario_number_uq on ivr_scenario (tenant_id, number) where number is not null;
create unique index ivr_scenario_name_uq on ivr_scenario (tenant_id, lower(name));

create table ivr_version (
    scenario_id bigint      not null references ivr_scenario (id) on delete cascade,
    version     integer     not null,
    name        text        not null,
    number      text,
    document    jsonb       not null,
    saved_at    timestamptz not null default now(),
    saved_by    text        not null default '',
    primary key (scenario_id, version)
);

-- One row per call through a scenario: which version ran and its trace (path, played, variables,
-- HTTP requests, end). Looked up by call id and by scenario, newest first.
create table ivr_run (
    id          bigserial   primary key,
    call_id     text        not null,
    scenario_id bigint      not null references ivr_scenario (id) on delete cascade,
    version     integer     not null,
    tenant_id   bigint      not null references tenant (id) on delete cascade,
    caller      text        not null default '',
    started_at  timestamptz not null,
    ended_at    timestamptz not null,
    trace       jsonb       not null
);
create index ivr_run_call_idx on ivr_run (call_id);
create index ivr_run_scenario_idx on ivr_run (scenario_id, started_at desc);

-- A tenant's holiday calendar: IVR time nodes (and queues' and campaigns' schedules) obey it.
create table tenant_holiday (
    id          bigserial   primary key,
    tenant_id   bigint      not null references tenant (id) on delete cascade,
    day         date        not null,
    name        text        not null,
    constraint tenant_holiday_day_uq unique (tenant_id, day)
);

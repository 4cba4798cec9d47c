-- ACD: queues, their member agents, agents as entities of their own, and callback requests.
-- An agent is an operator at a SIP account (user_id: the operator's login, when linked); queue members
-- and the queue log name the agent, so hot-desking (the agent at another phone) changes only acd_agent.
create table acd_agent (
    id          bigserial   primary key,
    tenant_id   bigint      not null references tenant (id) on delete cascade,
    account_id  bigint      not null unique references sip_account (id) on delete cascade,
    user_id     bigint      references app_user (id) on delete set null,
    status      text        check (status in ('FREE', 'PAUSED', 'UNAVAILABLE')),
    reason      text        not null default '',
    changed_at  timestamptz not null default now()
);
create index acd_agent_tenant_idx on acd_agent (tenant_id);

-- the operator statuses of V6 become agents with a status
insert into acd_agent (tenant_id, account_id, status, reason, changed_at)
select tenant_id, account_id, status, reason, changed_at from agent_status;
drop table agent_status;

create table acd_queue (
    id                       bigserial   primary key,
    tenant_id                bigint      not null references tenant (id) on delete cascade,
    number                   text        not null,
    name                     text        not null,
    strategy                 text        not null check (strategy in
                                 ('RING_ALL', 'LINEAR', 'RANDOM', 'ROUND_ROBIN', 'LEAST_RECENT', 'FEWEST_CALLS')),
    music_on_hold            bigint[]    not null default '{}',
    max_waiting              integer     not null default 0,
    max_wait_seconds         integer     not null default 0,
    overflow_timeout_kind    text,
    overflow_timeout_target  text,
    overflow_full_kind       text,
    overflow_full_target     text,
    overflow_noagent_kind    text,
    overflow_noagent_target  text,
    announce_every_seconds   integer     not null default 60,
    language                 text        not null default 'en' check (language in ('en', 'ru')),
    wrap_up_seconds          integer     not null default 0,
    ring_timeout_seconds     integer     not null default 20,
    service_level_seconds    integer     not null default 20,
    callback_digit           text        not null default '',
    callback_retries         integer     not null default 3,
    auto_pause_after_missed  integer     not null default 0,
    weight                   integer     not null default 0,
    priority                 integer     not null default 0,
    record                   boolean     not null default false,
    created_at               timestamptz not null default now(),
    updated_at               timestamptz not null default now(),
    constraint acd_queue_number_uq unique (tenant_id, number)
);

create table acd_member (
    queue_id  bigint  not null references acd_queue (id) on delete cascade,
    agent_id  bigint  not null references acd_agent (id) on delete cascade,
    penalty   integer not null default 0,
    position  integer not null,
    primary key (queue_id, agent_id)
);
create index acd_member_agent_idx on acd_member (agent_id);

-- A caller who asked to be called back keeps its place: the request waits here until an agent is
-- reached and the caller answers, or the retries run out; it survives restarts.
create table acd_callback (
    id          text        primary key,
    queue_id    bigint      not null references acd_queue (id) on delete cascade,
    tenant_id   bigint      not null references tenant (id) on delete cascade,
    call_id     text        not null,
    caller      text        not null,
    number      text        not null,
    priority    integer     not null default 0,
    entered_at  timestamptz not null,
    attempts    integer     not null default 0,
    created_at  timestamptz not null default now()
);
create index acd_callback_queue_idx on acd_callback (queue_id);

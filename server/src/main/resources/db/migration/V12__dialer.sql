-- Dialer: campaigns, their numbers (one row per number: state, attempts, last result, when to try again),
-- every call attempt (results, the 30-day abandon rate, the 72-hour rule), and each tenant's do-not-call
-- list. A campaign names its queue, IVR scenario and audio files by id without foreign keys: those are
-- other modules' tables, checked through their APIs when the campaign is saved.
create table dialer_campaign (
    id                    bigserial        primary key,
    tenant_id             bigint           not null references tenant (id) on delete cascade,
    name                  text             not null,
    status                text             not null default 'DRAFT'
                              check (status in ('DRAFT', 'RUNNING', 'PAUSED', 'STOPPED', 'FINISHED')),
    on_answer             text             not null check (on_answer in ('PLAY', 'IVR', 'QUEUE')),
    audio_file_ids        bigint[]         not null default '{}',
    play_times            integer          not null default 1,
    ivr_id                bigint,
    queue_id              bigint,
    caller_id             text             not null,
    max_concurrent        integer          not null default 10,
    calls_per_second      integer          not null default 5,
    ring_timeout_seconds  integer          not null default 30 check (ring_timeout_seconds >= 15),
    retry_busy            integer          not null default 0,
    retry_busy_minutes    integer          not null default 10,
    retry_no_answer       integer          not null default 0,
    retry_no_answer_minutes integer        not null default 30,
    retry_failed          integer          not null default 0,
    retry_failed_minutes  integer          not null default 30,
    days                  integer[]        not null default '{}',
    time_from             text,
    time_to               text,
    time_zone             text,
    holidays              boolean          not null default false,
    predictive            boolean          not null default false,
    max_abandon_percent   double precision not null default 3,
    abandon_audio_id      bigint,
    dial_level            double precision not null default 1,
    -- progress counters, kept in the transaction that records each attempt
    numbers_total         bigint           not null default 0,
    numbers_done          bigint           not null default 0,
    dialled               bigint           not null default 0,
    answered              bigint           not null default 0,
    busy                  bigint           not null default 0,
    no_answer             bigint           not null default 0,
    failed                bigint           not null default 0,
    abandoned             bigint           not null default 0,
    interrupted           bigint           not null default 0,
    dnc                   bigint           not null default 0,
    created_at            timestamptz      not null default now(),
    updated_at            timestamptz      not null default now()
);
create unique index dialer_campaign_name_uq on dialer_campaign (tenant_id, lower(name));

create table dialer_number (
    id               bigserial   primary key,
    campaign_id      bigint      not null references dialer_campaign (id) on delete cascade,
    line             integer     not null default 0,
    number           text        not null,
    name             text        not null default '',
    variables        jsonb       not null default '{}',
    -- PENDING: to call (from next_attempt_at); DIALING: an attempt is in the air; DONE: nothing more to do
    state            text        not null default 'PENDING' check (state in ('PENDING', 'DIALING', 'DONE')),
    attempts         integer     not null default 0,
    busy_count       integer     not null default 0,
    no_answer_count  integer     not null default 0,
    failed_count     integer     not null default 0,
    abandoned_count  integer     not null default 0,
    last_result      text,
    last_attempt_at  timestamptz,
    next_attempt_at  timestamptz,
    talk_seconds     integer     not null default 0,
    call_id          text,
    unique (campaign_id, number)
);
create index dialer_number_due_idx on dialer_number (campaign_id, next_attempt_at nulls first, id) where state = 'PENDING';
create index dialer_number_dialing_idx on dialer_number (campaign_id) where state = 'DIALING';

create table dialer_attempt (
    id            bigserial   primary key,
    campaign_id   bigint      not null references dialer_campaign (id) on delete cascade,
    number_id     bigint      not null references dialer_number (id) on delete cascade,
    tenant_id     bigint      not null,
    number        text        not null,
    call_id       text        not null,
    started_at    timestamptz not null,
    answered_at   timestamptz,
    ended_at      timestamptz,
    result        text,
    sip_code      integer,
    talk_seconds  integer
);
create index dialer_attempt_campaign_idx on dialer_attempt (campaign_id, started_at);
create index dialer_attempt_open_idx on dialer_attempt (campaign_id) where result is null;
create index dialer_attempt_abandoned_idx on dialer_attempt (tenant_id, number, started_at) where result = 'ABANDONED';

create table dialer_dnc (
    tenant_id   bigint      not null references tenant (id) on delete cascade,
    number      text        not null,
    note        text        not null default '',
    created_at  timestamptz not null default now(),
    primary key (tenant_id, number)
);

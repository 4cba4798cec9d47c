-- Routing: the call routing table. Routes are evaluated by priority (lower first, ties by id); the
-- first match wins and later matches follow it as fail-over targets while continue_on_failure holds.
-- Masks are Java regular expressions matched against the whole value ('' matches anything); the
-- server compiles and checks them before saving, and evaluates an in-memory copy of this table.

create table route (
    id                   bigint generated always as identity primary key,
    name                 text        not null,
    -- a label to group routes for display ("Long distance", "Inbound")
    grp                  text        not null default '',
    priority             integer     not null check (priority >= 0),
    enabled              boolean     not null default true,
    a_number_mask        text        not null default '',
    -- matches the From host or the source address of the request
    a_host_mask          text        not null default '',
    b_number_mask        text        not null default '',
    b_host_mask          text        not null default '',
    -- replacement using the B-number mask's groups ($1, or a named group); '' keeps the B-number
    b_rewrite            text        not null default '',
    a_rewrite_mask       text        not null default '',
    a_rewrite            text        not null default '',
    destination_type     text        not null check (destination_type in
                             ('LOCAL', 'GATEWAY', 'QUEUE', 'IVR', 'DIALER', 'VOICEMAIL', 'ECHO', 'MUSIC_ON_HOLD')),
    -- GATEWAY: host[:port][;transport=udp|tcp|tls]; media services: the queue, IVR, campaign or mailbox name
    destination          text        not null default '',
    record_call          boolean     not null default false,
    relay_media          boolean     not null default true,
    max_duration_seconds integer check (max_duration_seconds > 0),
    continue_on_failure  boolean     not null default false,
    caller_id            text,
    -- ISO days of the week the route is open ('1,2,3,4,5'); '' = every day
    days                 text        not null default '' check (days ~ '^([1-7](,[1-7])*)?$'),
    -- [time_from, time_to) in time_zone; time_to < time_from spans midnight; both null = all day
    time_from            time,
    time_to              time,
    time_zone            text        not null default 'UTC',
    created_at           timestamptz not null default now(),
    updated_at           timestamptz not null default now(),
    constraint route_time_window check ((time_from is null) = (time_to is null) and (time_from is null or time_from <> time_to))
);
create unique index route_name_uq on route (lower(name));
create index route_priority_idx on route (priority, id);

-- Call recordings (module media): one row per recorded call. The audio is an MP3 file under
-- callibry.media.recording.dir; file_name is relative to it. A row is 'converting' while the WAV is
-- turned into MP3, then 'ready', or 'failed' with the reason in error.

create table recording (
    id          bigint generated always as identity primary key,
    -- no foreign key: recordings outlive neither their retention nor, necessarily, their tenant
    tenant_id   bigint,
    call_id     text        not null,
    a_number    text        not null default '',
    b_number    text        not null default '',
    started_at  timestamptz not null,
    duration_ms bigint      not null default 0 check (duration_ms >= 0),
    channels    smallint    not null check (channels in (1, 2)),
    size_bytes  bigint      not null default 0 check (size_bytes >= 0),
    -- the MP3 (the WAV while converting), relative to the recordings directory; unique so a restart
    -- converting left-over WAVs never catalogues one twice
    file_name   text        not null unique,
    state       text        not null check (state in ('converting', 'ready', 'failed')),
    error       text,
    created_at  timestamptz not null default now()
);

create index recording_tenant_started_idx on recording (tenant_id, started_at desc);
create index recording_call_id_idx on recording (call_id);
-- the retention clean-up
create index recording_started_idx on recording (started_at);

-- Directory: tenants (customers), SIP domains and accounts, API users, contacts, audio files.
-- Unique names are case-insensitive; constraint names are part of the API (they map to field errors).

create table tenant (
    id          bigint generated always as identity primary key,
    name        text        not null,
    description text        not null default '',
    enabled     boolean     not null default true,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now()
);
create unique index tenant_name_uq on tenant (lower(name));

create table sip_domain (
    id          bigint generated always as identity primary key,
    tenant_id   bigint      not null references tenant (id),
    name        text        not null,
    -- requests addressed to the server's own IP addresses belong to this domain
    local_alias boolean     not null default false,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    constraint sip_domain_id_tenant_uq unique (id, tenant_id)
);
create unique index sip_domain_name_uq on sip_domain (lower(name));
create unique index sip_domain_local_alias_uq on sip_domain (local_alias) where local_alias;
create index sip_domain_tenant_idx on sip_domain (tenant_id);

create table sip_account (
    id           bigint generated always as identity primary key,
    tenant_id    bigint      not null,
    domain_id    bigint      not null,
    number       text        not null,
    display_name text        not null default '',
    -- digest HA1 per algorithm (RFC 3261 §22.4 MD5, RFC 7616 SHA-256); the password itself is never kept
    ha1_md5      text        not null,
    ha1_sha256   text        not null,
    enabled      boolean     not null default true,
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now(),
    -- an account lives in its domain's tenant
    constraint sip_account_domain_fk foreign key (domain_id, tenant_id) references sip_domain (id, tenant_id),
    constraint sip_account_number_uq unique (domain_id, number)
);
create index sip_account_tenant_idx on sip_account (tenant_id, number);

create table app_user (
    id            bigint generated always as identity primary key,
    username      text        not null,
    password_hash text        not null,
    role          text        not null check (role in ('ADMIN', 'SUPERVISOR', 'OPERATOR', 'CUSTOMER')),
    tenant_id     bigint references tenant (id),
    account_id    bigint references sip_account (id) on delete set null,
    display_name  text        not null default '',
    enabled       boolean     not null default true,
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now(),
    constraint app_user_admin_unbound check (role <> 'ADMIN' or tenant_id is null),
    constraint app_user_customer_bound check (role <> 'CUSTOMER' or tenant_id is not null)
);
create unique index app_user_username_uq on app_user (lower(username));
create index app_user_tenant_idx on app_user (tenant_id);

create table contact (
    id         bigint generated always as identity primary key,
    tenant_id  bigint      not null references tenant (id),
    name       text        not null,
    number     text        not null,
    email      text        not null default '',
    company    text        not null default '',
    note       text        not null default '',
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
create index contact_tenant_name_idx on contact (tenant_id, lower(name));
create index contact_tenant_number_idx on contact (tenant_id, number);

create table audio_file (
    id           bigint generated always as identity primary key,
    tenant_id    bigint      not null references tenant (id),
    name         text        not null,
    file_name    text        not null,
    content_type text        not null,
    size_bytes   bigint      not null,
    sha256       text        not null,
    -- path relative to the audio directory under callibry.data-dir
    storage_key  text        not null unique,
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now()
);
create unique index audio_file_name_uq on audio_file (tenant_id, lower(name));

-- API bearer tokens (SHA-256 of the token; the token itself is only ever in the client's hands)
create table api_token (
    token_hash text primary key,
    user_id    bigint      not null references app_user (id) on delete cascade,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null
);
create index api_token_user_idx on api_token (user_id);
create index api_token_expiry_idx on api_token (expires_at);
